import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, describeError } from '../shared/api';
import { Alert } from '../shared/components';
import { count } from '../shared/format';
import { allSections } from '../shared/sections';
import type { Filing, FilingRequest, Petition, Section } from '../shared/types';
import { Filings, manifestPath } from './Filings';

/**
 * Files a county's counted sections with its registrar in one step (all or none), then offers the
 * manifest to hand in with them; below, every filing so far with its manifest.
 */
export function FileCounty(props: { petition: Petition; version: number; onFiled: () => void }) {
  const { petition } = props;
  const [counted, setCounted] = useState<Section[] | null>(null);
  const [county, setCounty] = useState('');
  const [left, setLeft] = useState<Set<number>>(new Set());
  const [filed, setFiled] = useState<Filing | null>(null);
  const [problem, setProblem] = useState<{ text: string; items: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const countyName = (fips: string) => petition.counties.find((c) => c.fips === fips)?.name ?? fips;

  useEffect(() => {
    allSections(petition.id, { status: 'counted' }).then(setCounted, (err) =>
      setProblem({ text: describeError(err), items: [] }),
    );
  }, [petition.id, props.version]);

  const ready = [...new Set((counted ?? []).map((s) => s.countyFips))].sort((a, b) =>
    countyName(a).localeCompare(countyName(b)),
  );
  const chosen = county && ready.includes(county) ? county : (ready[0] ?? '');
  const sections = (counted ?? []).filter((s) => s.countyFips === chosen);
  const picked = sections.filter((s) => !left.has(s.number));
  const lines = picked.reduce((sum, s) => sum + (s.linesCounted ?? 0), 0);

  const toggle = (n: number) =>
    setLeft((was) => {
      const next = new Set(was);
      if (!next.delete(n)) next.add(n);
      return next;
    });

  const file = async (e: Event) => {
    e.preventDefault();
    setProblem(null);
    setFiled(null);
    const body: FilingRequest = { countyFips: chosen, sections: picked.map((s) => s.number) };
    setBusy(true);
    try {
      setFiled(await api<Filing>('POST', `/api/petitions/${petition.id}/filings`, { body }));
      setLeft(new Set());
      props.onFiled();
    } catch (err) {
      const items = err instanceof ApiError ? err.errors.map((x) => x.message) : [];
      setProblem({ text: describeError(err), items });
      props.onFiled();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="file-title">
      <h2 id="file-title">File counted sections</h2>
      <div role="status">
        {filed && (
          <div class="alert success">
            Filed {count(filed.sections)} {filed.sections === 1 ? 'section' : 'sections'} (
            {count(filed.lines)} lines) in {countyName(filed.countyFips)}.{' '}
            <a href={manifestPath(petition.id, filed)} download>
              Download the manifest (CSV)
            </a>
          </div>
        )}
      </div>
      {problem && (
        <Alert kind="error">
          {problem.text}
          {problem.items.length > 0 && (
            <ul>
              {problem.items.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          )}
        </Alert>
      )}
      {!counted ? (
        !problem && <p>Loading…</p>
      ) : ready.length === 0 ? (
        <p class="muted">No counted section waits to be filed.</p>
      ) : (
        <form onSubmit={file} noValidate>
          <div class="field file-county">
            <label for="file-county">County to file</label>
            <select id="file-county" value={chosen} onChange={(e) => setCounty(e.currentTarget.value)}>
              {ready.map((fips) => (
                <option key={fips} value={fips}>
                  {countyName(fips)}
                </option>
              ))}
            </select>
          </div>
          <fieldset class="checks">
            <legend>Counted sections of {countyName(chosen)}</legend>
            {sections.map((s) => (
              <label key={s.number} class="check">
                <input type="checkbox" checked={!left.has(s.number)} onChange={() => toggle(s.number)} />
                Section {s.number}: {count(s.linesCounted ?? 0)} lines counted, {count(s.linesEntered)}{' '}
                entered
              </label>
            ))}
          </fieldset>
          <button type="submit" class="primary" disabled={busy || picked.length === 0}>
            File {picked.length} {picked.length === 1 ? 'section' : 'sections'} ({count(lines)} lines)
          </button>
        </form>
      )}
      <Filings petition={petition} version={props.version} />
    </section>
  );
}
