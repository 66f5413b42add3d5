import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api';
import { count, date } from '../shared/format';
import type { Filing, FilingList, Petition } from '../shared/types';

export const manifestPath = (petitionId: string, filing: Filing) =>
  `/api/petitions/${encodeURIComponent(petitionId)}/filings/${filing.id}.csv`;

/** Every filing of the petition, newest first, each with its manifest. */
export function Filings(props: { petition: Petition; version: number }) {
  const { petition } = props;
  const [filings, setFilings] = useState<Filing[] | null>(null);
  const countyName = (fips: string) => petition.counties.find((c) => c.fips === fips)?.name ?? fips;

  useEffect(() => {
    api<FilingList>('GET', `/api/petitions/${petition.id}/filings`).then(
      (r) => setFilings(r.items),
      () => setFilings([]),
    );
  }, [petition.id, props.version]);

  if (!filings?.length) return null;
  return (
    <div class="table-wrap filings">
      <table>
        <caption class="left">Filings ({filings.length})</caption>
        <thead>
          <tr>
            <th scope="col">Filed</th>
            <th scope="col" class="left">
              County
            </th>
            <th scope="col">Sections</th>
            <th scope="col">Lines</th>
            <th scope="col">Manifest</th>
          </tr>
        </thead>
        <tbody>
          {filings.map((f) => (
            <tr key={f.id}>
              <th scope="row">
                <time dateTime={f.createdAt}>{date(f.createdAt)}</time>
              </th>
              <td class="left">{countyName(f.countyFips)}</td>
              <td>{count(f.sections)}</td>
              <td>{count(f.lines)}</td>
              <td>
                <a
                  href={manifestPath(petition.id, f)}
                  download
                  aria-label={`Manifest of the ${countyName(f.countyFips)} filing of ${date(f.createdAt)} (CSV)`}
                >
                  CSV
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
