import { useState } from 'preact/hooks';
import { api, describeError, errorsByField } from '../shared/api';
import { Field } from '../shared/components';
import type { IssueAnswer, IssueRequest, Membership, Petition } from '../shared/types';

const MAX_ISSUE = 500;
type Errors = Partial<Record<'countyFips' | 'count' | 'circulatorId', string>>;

/** Issues a run of new sections of one county, numbered after the highest so far, to a circulator. */
export function IssueSections(props: { petition: Petition; members: Membership[]; onIssued: () => void }) {
  const { petition } = props;
  const counties = [...petition.counties].sort((a, b) => a.name.localeCompare(b.name));
  const [county, setCounty] = useState('');
  const [howMany, setHowMany] = useState('1');
  const [circulator, setCirculator] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [status, setStatus] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setStatus(null);
    const found: Errors = {};
    if (!county) found.countyFips = 'Choose the county the sections are for.';
    const n = Number(howMany.trim());
    if (!/^\d+$/.test(howMany.trim()) || n < 1 || n > MAX_ISSUE)
      found.count = `Enter a whole number of sections, from 1 to ${MAX_ISSUE}.`;
    setErrors(found);
    if (Object.keys(found).length) {
      document.getElementById(found.countyFips ? 'issue-county' : 'issue-count')?.focus();
      return;
    }
    const body: IssueRequest = {
      countyFips: county,
      count: n,
      ...(circulator ? { circulatorId: circulator } : {}),
    };
    setBusy(true);
    try {
      const { items } = await api<IssueAnswer>('POST', `/api/petitions/${petition.id}/sections`, {
        body,
      });
      const first = items[0]?.number;
      const last = items.at(-1)?.number;
      const who = props.members.find((m) => m.userId === circulator)?.name;
      const countyName = counties.find((c) => c.fips === county)?.name;
      setStatus({
        kind: 'success',
        text: `Issued ${first === last ? `section ${first}` : `sections ${first}–${last}`} of ${countyName}${who ? ` to ${who}` : ''}.`,
      });
      props.onIssued();
    } catch (err) {
      setErrors(errorsByField(err, ['countyFips', 'count', 'circulatorId']));
      setStatus({ kind: 'error', text: describeError(err) });
    } finally {
      setBusy(false);
    }
  };

  const select = (id: string, field: keyof Errors) => ({
    id,
    'aria-invalid': errors[field] ? ('true' as const) : undefined,
    'aria-describedby': errors[field] ? `${id}-error` : undefined,
  });
  const error = (id: string, field: keyof Errors) =>
    errors[field] && (
      <p class="error" id={`${id}-error`}>
        {errors[field]}
      </p>
    );

  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="issue-title">
      <h2 id="issue-title">Issue sections</h2>
      <div role="status" class={status ? `alert ${status.kind}` : undefined}>
        {status?.text}
      </div>
      <div class={errors.countyFips ? 'field invalid' : 'field'}>
        <label for="issue-county">County</label>
        <select
          {...select('issue-county', 'countyFips')}
          value={county}
          onChange={(e) => setCounty(e.currentTarget.value)}
        >
          <option value="">Choose a county</option>
          {counties.map((c) => (
            <option key={c.fips} value={c.fips}>
              {c.name}
            </option>
          ))}
        </select>
        {error('issue-county', 'countyFips')}
      </div>
      <Field
        id="issue-count"
        label="Number of sections"
        inputMode="numeric"
        value={howMany}
        error={errors.count}
        onInput={setHowMany}
      />
      <div class={errors.circulatorId ? 'field invalid' : 'field'}>
        <label for="issue-circulator">Circulator</label>
        <select
          {...select('issue-circulator', 'circulatorId')}
          value={circulator}
          onChange={(e) => setCirculator(e.currentTarget.value)}
        >
          <option value="">Nobody yet</option>
          {props.members
            .filter((m) => m.role !== 'viewer')
            .map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name} ({m.role})
              </option>
            ))}
        </select>
        {error('issue-circulator', 'circulatorId')}
      </div>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Issuing…' : 'Issue sections'}
      </button>
    </form>
  );
}
