import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../shared/api';
import { Alert } from '../shared/components';
import { count, date } from '../shared/format';
import { allSections, daysSince } from '../shared/sections';
import type { Petition, Section } from '../shared/types';
import type { NameOf } from './Sections';

/** The sections still out with their circulators, the one out longest first. */
export function Outstanding(props: {
  petition: Petition;
  nameOf: NameOf;
  version: number;
  onOpen: (number: number) => void;
}) {
  const { petition, nameOf } = props;
  const [out, setOut] = useState<Section[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    allSections(petition.id, { status: 'issued' }).then(
      (items) => {
        setOut(items.sort((a, b) => a.issuedAt.localeCompare(b.issuedAt) || a.number - b.number));
        setError(null);
      },
      (err) => setError(describeError(err)),
    );
  }, [petition.id, props.version]);

  const countyName = (fips: string) => petition.counties.find((c) => c.fips === fips)?.name ?? fips;
  const now = Date.now();
  return (
    <section class="card" aria-labelledby="outstanding-title">
      <h2 id="outstanding-title">Outstanding sections {out && `(${count(out.length)})`}</h2>
      {error && <Alert kind="error">{error}</Alert>}
      {!out ? (
        !error && <p>Loading…</p>
      ) : out.length === 0 ? (
        <p class="muted">No section is out.</p>
      ) : (
        <div class="table-wrap outstanding">
          <table>
            <caption class="visually-hidden">Sections out, the one out longest first</caption>
            <thead>
              <tr>
                <th scope="col">Section</th>
                <th scope="col" class="left">
                  County
                </th>
                <th scope="col" class="left">
                  Circulator
                </th>
                <th scope="col">Out since</th>
                <th scope="col">Days out</th>
              </tr>
            </thead>
            <tbody>
              {out.map((s) => (
                <tr key={s.number}>
                  <th scope="row">
                    <button type="button" class="link" onClick={() => props.onOpen(s.number)}>
                      <span class="visually-hidden">Open section </span>
                      {s.number}
                    </button>
                  </th>
                  <td class="left">{countyName(s.countyFips)}</td>
                  <td class="left">{nameOf(s.circulatorId)}</td>
                  <td>
                    <time dateTime={s.issuedAt}>{date(s.issuedAt)}</time>
                  </td>
                  <td>{count(daysSince(s.issuedAt, now))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
