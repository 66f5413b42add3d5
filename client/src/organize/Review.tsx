import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../shared/api';
import { Alert } from '../shared/components';
import { count } from '../shared/format';
import type { Answer, Petition, VerificationRun } from '../shared/types';

/** The server documents review items only as objects (`Record<string, unknown>`): their shape is ours. */
interface Candidate {
  voterId: string;
  firstName: string;
  middleName: string | null;
  lastName: string;
  houseNumber: string | null;
  street: string;
  unit: string | null;
  city: string;
  zip: string;
  countyFips: string;
  dateOfBirth: string | null;
  status: string;
}

interface ReviewItem {
  id: string;
  reason: string;
  firstName: string;
  lastName: string;
  addressLine1: string;
  addressLine2: string | null;
  city: string;
  zip: string;
  countyFips: string;
  dateOfBirth: string | null;
  candidates: Candidate[];
}

const REASONS = [
  ['not_registered', 'Not registered'],
  ['wrong_county', 'Wrong county'],
  ['incomplete', 'Incomplete'],
  ['signature_mismatch', 'Signature mismatch'],
  ['withdrawn', 'Withdrawn'],
  ['other', 'Other'],
] as const;

/** Start a verification run, then decide by hand the signers it could not match with certainty. */
export function Review({ petition }: { petition: Petition }) {
  const base = `/api/petitions/${petition.id}`;
  const [items, setItems] = useState<ReviewItem[] | null>(null);
  const [run, setRun] = useState<VerificationRun | null>(null);
  const [message, setMessage] = useState<{ kind: 'success' | 'error' | 'info'; text: string } | null>(null);
  const countyName = (fips: string) => petition.counties.find((c) => c.fips === fips)?.name ?? fips;

  const refresh = () =>
    api<{ items: ReviewItem[] }>('GET', `${base}/review?limit=50`).then(
      (r) => setItems(r.items),
      (err) => setMessage({ kind: 'error', text: describeError(err) }),
    );
  useEffect(() => void refresh(), [petition.id]);

  const startRun = async () => {
    try {
      const { runId } = await api<Answer<'/api/petitions/{id}/verification-runs', 'post', 202>>(
        'POST',
        `${base}/verification-runs`,
      );
      setMessage({ kind: 'info', text: 'Verification is running…' });
      for (;;) {
        const r = await api<VerificationRun>('GET', `${base}/verification-runs/${runId}`);
        setRun(r);
        if (r.status !== 'running') break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      setMessage(null);
      await refresh();
    } catch (err) {
      setMessage({ kind: 'error', text: describeError(err) });
    }
  };

  const decide = async (
    item: ReviewItem,
    body: { status: 'valid' } | { status: 'invalid'; reason: string },
  ) => {
    try {
      await api('PATCH', `${base}/signatures/${item.id}`, { body });
      setMessage({
        kind: 'success',
        text: `${item.firstName} ${item.lastName}: ${body.status === 'valid' ? 'valid' : `invalid (${body.reason.replace('_', ' ')})`}.`,
      });
      setItems((list) => list?.filter((i) => i.id !== item.id) ?? null);
    } catch (err) {
      setMessage({ kind: 'error', text: describeError(err) });
    }
  };

  return (
    <>
      <section class="card" aria-labelledby="run-title">
        <h2 id="run-title">Verification</h2>
        <p>Match every pending signer against the voter file of {petition.state}.</p>
        <button
          type="button"
          class="primary"
          onClick={() => void startRun()}
          disabled={run?.status === 'running'}
        >
          Run verification
        </button>
        {run && (
          <p role="status" class="run-result">
            {run.status === 'running' ? 'Running: ' : run.status === 'done' ? 'Done: ' : 'Failed: '}
            {count(run.checked)} checked, {count(run.valid)} valid, {count(run.notRegistered)} not registered,{' '}
            {count(run.wrongCounty)} wrong county, {count(run.needsReview)} for review.
          </p>
        )}
      </section>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <section aria-labelledby="review-title">
        <h2 id="review-title">
          Review queue {items && `(${items.length}${items.length === 50 ? '+' : ''})`}
        </h2>
        {!items && <p>Loading…</p>}
        {items?.length === 0 && <p class="muted">Nothing waits for review.</p>}
        {items?.map((item) => (
          <ReviewCard
            key={item.id}
            item={item}
            countyName={countyName}
            onDecide={(b) => void decide(item, b)}
          />
        ))}
      </section>
    </>
  );
}

function ReviewCard(props: {
  item: ReviewItem;
  countyName: (fips: string) => string;
  onDecide: (body: { status: 'valid' } | { status: 'invalid'; reason: string }) => void;
}) {
  const { item, countyName } = props;
  const [reason, setReason] = useState<string>('not_registered');
  const id = `reason-${item.id}`;
  return (
    <article class="card review-item" aria-labelledby={`title-${item.id}`}>
      <h3 id={`title-${item.id}`}>
        {item.firstName} {item.lastName}
      </h3>
      <p>
        {item.addressLine1}
        {item.addressLine2 ? `, ${item.addressLine2}` : ''}, {item.city} {item.zip} ·{' '}
        {countyName(item.countyFips)}
        <br />
        <span class="muted">Why it is here: {item.reason.replaceAll('_', ' ')}</span>
      </p>
      <div class="table-wrap">
        <table>
          <caption class="left">Voter records that could be this signer</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Address</th>
              <th scope="col">County</th>
              <th scope="col">Born</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {item.candidates.map((c) => (
              <tr key={c.voterId}>
                <th scope="row">
                  {c.firstName} {c.middleName ?? ''} {c.lastName}
                </th>
                <td class="left">
                  {[c.houseNumber, c.street, c.unit].filter(Boolean).join(' ')}, {c.city} {c.zip}
                </td>
                <td class="left">{countyName(c.countyFips)}</td>
                <td>{c.dateOfBirth ?? '—'}</td>
                <td>{c.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="actions decide">
        <button type="button" class="primary" onClick={() => props.onDecide({ status: 'valid' })}>
          Valid
        </button>
        <label for={id} class="visually-hidden">
          Reason it is invalid
        </label>
        <select
          id={id}
          value={reason}
          onChange={(e) => setReason((e.currentTarget as HTMLSelectElement).value)}
        >
          {REASONS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <button type="button" class="danger" onClick={() => props.onDecide({ status: 'invalid', reason })}>
          Invalid
        </button>
      </div>
    </article>
  );
}
