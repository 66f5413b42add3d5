import { Field } from '../shared/components';
import type { County, Section } from '../shared/types';
import type { Draft, DraftErrors } from './form';

/**
 * Which paper section and line the signer signed on: the volunteer's sections out or returned to pick
 * from (none is fine), and the line, which goes up by itself after each signer.
 */
export function SectionPicker(props: {
  draft: Draft;
  errors: DraftErrors;
  sections: Section[];
  counties: County[];
  onSection: (section: string) => void;
  onLine: (line: string) => void;
  selectRef: (el: HTMLSelectElement | null) => void;
  lineRef: (el: HTMLInputElement | null) => void;
}) {
  const { draft, errors } = props;
  const countyName = (fips: string) => props.counties.find((c) => c.fips === fips)?.name ?? fips;
  // The sheets the volunteer holds or has just handed in: those the typing follows.
  const usable = props.sections.filter((s) => s.status === 'issued' || s.status === 'returned');
  const listed = usable.some((s) => String(s.number) === draft.section);
  const described = ['section-hint', errors.section && 'section-error'].filter(Boolean).join(' ');
  return (
    <div class="form-grid section-line">
      <div class={errors.section ? 'field invalid' : 'field'}>
        <label for="section">Section</label>
        <p class="hint" id="section-hint">
          The number on the paper sheet.
        </p>
        <select
          id="section"
          name="section"
          value={draft.section}
          aria-invalid={errors.section ? 'true' : undefined}
          aria-describedby={described}
          ref={props.selectRef}
          onChange={(e) => props.onSection((e.currentTarget as HTMLSelectElement).value)}
        >
          <option value="">No paper section</option>
          {usable.map((s) => (
            <option key={s.number} value={String(s.number)}>
              {s.number} · {countyName(s.countyFips)}
            </option>
          ))}
          {draft.section && !listed && <option value={draft.section}>{draft.section}</option>}
        </select>
        {errors.section && (
          <p class="error" id="section-error">
            {errors.section}
          </p>
        )}
      </div>
      {draft.section && (
        <Field
          id="line"
          label="Line"
          value={draft.line}
          error={errors.line}
          hint="Goes up by one after each signer."
          inputMode="numeric"
          autoComplete="off"
          required
          inputRef={props.lineRef}
          onInput={props.onLine}
        />
      )}
    </div>
  );
}
