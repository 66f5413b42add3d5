import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api';
import { time } from '../shared/format';
import type { Petition, SignatureList, SignatureRecord } from '../shared/types';
import type { Outbox } from './outbox';

const STATUS_BADGE: Record<string, string> = { valid: 'ok', duplicate: 'warn', invalid: 'bad', pending: '' };
const isToday = (iso: string) => new Date(iso).toDateString() === new Date().toDateString();
const placeOf = (s: { sectionNumber?: number | null; line?: number | null }) =>
  s.sectionNumber == null ? '' : ` · section ${s.sectionNumber}, line ${s.line}`;

interface Row {
  key: string;
  name: string;
  county: string;
  /** Section and line, when the signer signed a paper section. */
  place: string;
  at: string;
  status: string;
}

/**
 * The signers this volunteer recorded today for the petition: those the server has (refreshed when
 * records are acknowledged) and those still waiting on this device.
 */
export function MySigners(props: { petition: Petition; outbox: Outbox }) {
  const { petition, outbox } = props;
  const [sent, setSent] = useState<SignatureRecord[]>([]);
  const countyName = (fips: string) => petition.counties.find((c) => c.fips === fips)?.name ?? fips;

  useEffect(() => {
    const refresh = () =>
      api<SignatureList>('GET', `/api/petitions/${petition.id}/signatures?circulator=me&limit=200`).then(
        (r) => setSent(r.items.filter((s) => isToday(s.signedAt))),
        () => undefined,
      );
    void refresh();
    return outbox.subscribe((e) => {
      if (e.kind === 'acknowledged') void refresh();
    });
  }, [petition.id, outbox]);

  const waiting: Row[] = outbox.records
    .filter((r) => r.petitionId === petition.id)
    .map((r) => ({
      key: r.key,
      name: `${r.signer.firstName} ${r.signer.lastName}`,
      county: countyName(r.signer.countyFips),
      place: placeOf(r.signer),
      at: r.signer.signedAt,
      status: r.state === 'waiting' ? 'waiting to send' : 'needs fixing',
    }));
  const rows: Row[] = [
    ...waiting,
    ...sent.map((s) => ({
      key: s.id,
      name: `${s.firstName ?? ''} ${s.lastName ?? ''}`.trim(),
      county: countyName(s.countyFips),
      place: placeOf(s),
      at: s.signedAt,
      status: s.status,
    })),
  ].sort((a, b) => b.at.localeCompare(a.at));

  return (
    <section class="card" aria-labelledby="today-title">
      <h2 id="today-title">My signers today ({rows.length})</h2>
      {rows.length === 0 ? (
        <p class="muted">Nobody yet today.</p>
      ) : (
        <ul class="records today">
          {rows.map((r) => (
            <li key={r.key}>
              <span>
                <strong>{r.name}</strong> · {r.county}
                {r.place} · {time(r.at)}
              </span>
              <span class={`badge ${STATUS_BADGE[r.status] ?? 'warn'}`}>{r.status}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
