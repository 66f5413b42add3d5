import { useMemo, useState } from 'preact/hooks';
import { count, rate } from '../shared/format';
import type { CountyProgress } from '../shared/types';

type Key =
  | 'name'
  | 'raw'
  | 'pending'
  | 'valid'
  | 'invalid'
  | 'duplicate'
  | 'validityRate'
  | 'projectedValid'
  | 'target'
  | 'sectionsOut'
  | 'linesCounted'
  | 'linesFiled';

const COLUMNS: { key: Key; label: string }[] = [
  { key: 'name', label: 'County' },
  { key: 'raw', label: 'Collected' },
  { key: 'pending', label: 'Pending' },
  { key: 'valid', label: 'Valid' },
  { key: 'invalid', label: 'Invalid' },
  { key: 'duplicate', label: 'Duplicate' },
  { key: 'validityRate', label: 'Validity' },
  { key: 'projectedValid', label: 'Projected valid' },
  { key: 'target', label: 'Target' },
];
const LINE_COLUMNS: { key: Key; label: string }[] = [
  { key: 'sectionsOut', label: 'Sections out' },
  { key: 'linesCounted', label: 'Lines counted' },
  { key: 'linesFiled', label: 'Lines filed' },
];

function compare(a: CountyProgress, b: CountyProgress, key: Key): number {
  if (key === 'name') return a.name.localeCompare(b.name);
  const x = a[key] ?? -1;
  const y = b[key] ?? -1;
  return x - y || a.name.localeCompare(b.name);
}

/**
 * Every county of the petition; sortable by any column, searchable by name or FIPS code. With `lines`
 * (for members, when there are paper sections), the sections out and the lines counted and filed
 * beside the signers.
 */
export function CountyTable({ counties, lines = false }: { counties: CountyProgress[]; lines?: boolean }) {
  const columns = lines ? [...COLUMNS, ...LINE_COLUMNS] : COLUMNS;
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<{ key: Key; descending: boolean }>({ key: 'raw', descending: true });

  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    const shown = q
      ? counties.filter((c) => c.name.toLowerCase().includes(q) || c.fips.includes(q))
      : [...counties];
    shown.sort((a, b) => compare(a, b, sort.key) * (sort.descending ? -1 : 1));
    return shown;
  }, [counties, query, sort]);

  const sortBy = (key: Key) =>
    setSort((s) =>
      s.key === key ? { key, descending: !s.descending } : { key, descending: key !== 'name' },
    );

  return (
    <div>
      <div class="field table-search">
        <label for="county-search">Search counties</label>
        <input
          id="county-search"
          type="search"
          value={query}
          placeholder="Name or FIPS code"
          onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <p class="visually-hidden" aria-live="polite">
        {rows.length} of {counties.length} counties shown
      </p>
      <div class="table-wrap county-table">
        <table>
          <caption class="visually-hidden">Signers by county</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : undefined}
                >
                  <button type="button" class="sort" onClick={() => sortBy(c.key)}>
                    {c.label}
                    <span aria-hidden="true">
                      {sort.key === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''}
                    </span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.fips} data-fips={c.fips}>
                <th scope="row">{c.name}</th>
                <td>{count(c.raw)}</td>
                <td>{count(c.pending)}</td>
                <td>{count(c.valid)}</td>
                <td>{count(c.invalid)}</td>
                <td>{count(c.duplicate)}</td>
                <td>{rate(c.validityRate)}</td>
                <td>{count(c.projectedValid)}</td>
                <td>{c.target === null ? '—' : count(c.target)}</td>
                {lines && <td>{count(c.sectionsOut)}</td>}
                {lines && <td>{count(c.linesCounted)}</td>}
                {lines && <td>{count(c.linesFiled)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <p class="muted">No county matches “{query}”.</p>}
      </div>
    </div>
  );
}
