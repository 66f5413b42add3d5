import { useState } from 'preact/hooks';
import { describeError } from '../shared/api';
import type { Petition, Section } from '../shared/types';
import type { Outbox } from './outbox';
import { SectionItem } from './SectionItem';

/**
 * The paper sections this volunteer carries: those still out first, each with a Return button to say
 * it was handed in, then (folded away) those handed in, with how many lines of each are entered.
 */
export function MySections(props: {
  petition: Petition;
  outbox: Outbox;
  sections: Section[];
  onReturn: (number: number) => Promise<Section>;
}) {
  const { petition, outbox, sections } = props;
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const countyName = (fips: string) => petition.counties.find((c) => c.fips === fips)?.name ?? fips;
  const waitingOn = (n: number) =>
    outbox.records.filter((r) => r.petitionId === petition.id && r.signer.sectionNumber === n).length;

  const giveBack = async (number: number) => {
    setBusy(number);
    setMessage(null);
    try {
      await props.onReturn(number);
      setMessage({ kind: 'success', text: `Section ${number} is returned.` });
    } catch (err) {
      setMessage({ kind: 'error', text: `Section ${number} is not returned yet: ${describeError(err)}` });
    } finally {
      setBusy(null);
    }
  };

  const shown = sections.filter((s) => s.status !== 'void');
  const out = shown.filter((s) => s.status === 'issued');
  const handedIn = shown.filter((s) => s.status !== 'issued');
  if (!shown.length && !message) return null;
  const item = (s: Section) => (
    <SectionItem
      key={s.number}
      section={s}
      county={countyName(s.countyFips)}
      waiting={waitingOn(s.number)}
      busy={busy === s.number}
      onReturn={() => void giveBack(s.number)}
    />
  );
  return (
    <section class="card" aria-labelledby="sections-title">
      <h2 id="sections-title">My sections ({shown.length})</h2>
      <div role="status" class={message ? `alert ${message.kind}` : undefined}>
        {message?.text}
      </div>
      {out.length === 0 ? (
        <p class="muted">None is out with you now.</p>
      ) : (
        <ul class="records my-sections" aria-label="Out with you">
          {out.map(item)}
        </ul>
      )}
      {handedIn.length > 0 && (
        <details class="handed-in">
          <summary>Handed in ({handedIn.length})</summary>
          <ul class="records my-sections">{handedIn.map(item)}</ul>
        </details>
      )}
    </section>
  );
}
