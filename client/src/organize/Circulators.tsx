import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../shared/api';
import { Alert } from '../shared/components';
import { count, day, rate } from '../shared/format';
import type { Circulator, CirculatorList, Petition } from '../shared/types';

const FLAG_TEXT = { low_validity: 'low validity', high_duplicates: 'many duplicates' };

/**
 * Per volunteer: how many signers, how many turned out valid, who needs a closer look, and the paper
 * sections each still has out (since when) and the lines counted on those handed in.
 */
export function Circulators({ petition }: { petition: Petition }) {
  const [rows, setRows] = useState<Circulator[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<CirculatorList>('GET', `/api/petitions/${petition.id}/circulators`).then(
      (r) => setRows(r.items),
      (err) => setError(describeError(err)),
    );
  }, [petition.id]);

  if (error) return <Alert kind="error">{error}</Alert>;
  if (!rows) return <p>Loading…</p>;
  return (
    <section class="card" aria-labelledby="circulators-title">
      <h2 id="circulators-title">Circulators ({rows.length})</h2>
      {rows.length === 0 ? (
        <p class="muted">Nobody has recorded a signer or carried a section yet.</p>
      ) : (
        // Wider than a phone or a laptop: the region scrolls, so it takes the focus for the keyboard.
        <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="circulators-title">
          <table>
            <thead>
              <tr>
                <th scope="col">Volunteer</th>
                <th scope="col">Collected</th>
                <th scope="col">Last 7 days</th>
                <th scope="col">Pending</th>
                <th scope="col">Valid</th>
                <th scope="col">Invalid</th>
                <th scope="col">Duplicate</th>
                <th scope="col">Validity</th>
                <th scope="col">Duplicate rate</th>
                <th scope="col">Sections out</th>
                <th scope="col">Out since</th>
                <th scope="col">Lines counted</th>
                <th scope="col">Flags</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.userId}>
                  <th scope="row">{c.name}</th>
                  <td>{count(c.raw)}</td>
                  <td>{count(c.last7Days)}</td>
                  <td>{count(c.pending)}</td>
                  <td>{count(c.valid)}</td>
                  <td>{count(c.invalid)}</td>
                  <td>{count(c.duplicate)}</td>
                  <td>{rate(c.validityRate)}</td>
                  <td>{rate(c.duplicateRate)}</td>
                  <td>{count(c.sectionsOut)}</td>
                  <td>{c.oldestOutSince ? day(c.oldestOutSince) : '—'}</td>
                  <td>{count(c.linesCounted)}</td>
                  <td class="left">
                    {c.flags.length === 0
                      ? '—'
                      : c.flags.map((f) => (
                          <span key={f} class="badge bad">
                            {FLAG_TEXT[f]}
                          </span>
                        ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
