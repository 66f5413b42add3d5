import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, describeError } from '../shared/api';
import { Alert, Field } from '../shared/components';
import { date, day } from '../shared/format';
import { sectionPath, STATUS_BADGE } from '../shared/sections';
import type { Membership, Petition, Section } from '../shared/types';
import type { NameOf } from './Sections';
import { SectionActions } from './SectionActions';

/** Finds a section by its number (or the one opened from a list) and shows where it stands. */
export function FindSection(props: {
  petition: Petition;
  members: Membership[];
  nameOf: NameOf;
  opened: { number: number } | null;
  onChanged: () => void;
}) {
  const { petition, nameOf } = props;
  const [typed, setTyped] = useState('');
  const [inputError, setInputError] = useState<string | undefined>();
  const [section, setSection] = useState<Section | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const load = async (number: number) => {
    setFailure(null);
    try {
      setSection(await api<Section>('GET', sectionPath(petition.id, number)));
    } catch (err) {
      setSection(null);
      if (err instanceof ApiError && err.status === 404) setInputError(`There is no section ${number}.`);
      else setFailure(describeError(err));
    }
  };

  useEffect(() => {
    if (!props.opened) return;
    setTyped(String(props.opened.number));
    setInputError(undefined);
    void load(props.opened.number);
  }, [props.opened]);

  const find = (e: Event) => {
    e.preventDefault();
    const n = Number(typed.trim());
    if (!/^\d+$/.test(typed.trim()) || n < 1) {
      setInputError('Enter the number printed on the section, 1 or more.');
      document.getElementById('find-number')?.focus();
      return;
    }
    setInputError(undefined);
    void load(n);
  };

  const countyName = (fips: string) => petition.counties.find((c) => c.fips === fips)?.name ?? fips;
  return (
    <section class="card" aria-labelledby="find-title">
      <h2 id="find-title">Find a section</h2>
      <form class="inline-form" onSubmit={find} noValidate>
        <Field
          id="find-number"
          label="Section number"
          inputMode="numeric"
          value={typed}
          error={inputError}
          onInput={setTyped}
        />
        <button type="submit">Find</button>
      </form>
      {failure && <Alert kind="error">{failure}</Alert>}
      {section && (
        <article class="section-card" aria-labelledby="section-title">
          <h3 id="section-title">
            Section {section.number} · {countyName(section.countyFips)}{' '}
            <span class={`badge ${STATUS_BADGE[section.status]}`}>{section.status}</span>
          </h3>
          <dl class="facts">
            <dt>Circulator</dt>
            <dd>{nameOf(section.circulatorId)}</dd>
            <dt>Issued</dt>
            <dd>{date(section.issuedAt)}</dd>
            {section.returnedAt && (
              <>
                <dt>Returned</dt>
                <dd>{date(section.returnedAt)}</dd>
              </>
            )}
            <dt>Lines counted</dt>
            <dd>{section.linesCounted ?? '—'}</dd>
            <dt>Lines entered</dt>
            <dd>{section.linesEntered}</dd>
            <dt>Declaration signed</dt>
            <dd>{section.declarationSignedAt ? day(section.declarationSignedAt) : '—'}</dd>
            {section.filedAt && (
              <>
                <dt>Filed</dt>
                <dd>{date(section.filedAt)}</dd>
              </>
            )}
            {section.reason && (
              <>
                <dt>Reason</dt>
                <dd>{section.reason}</dd>
              </>
            )}
          </dl>
          {section.hasScan && (
            <p>
              <a href={`${sectionPath(petition.id, section.number)}/scan`} target="_blank" rel="noopener">
                Scan of section {section.number}
              </a>
            </p>
          )}
          <SectionActions
            key={section.number}
            petition={petition}
            section={section}
            members={props.members}
            onChanged={(s) => {
              setSection(s);
              props.onChanged();
            }}
          />
        </article>
      )}
    </section>
  );
}
