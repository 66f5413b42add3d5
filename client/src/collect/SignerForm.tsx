import { useEffect, useRef, useState } from 'preact/hooks';
import { Alert, Field } from '../shared/components';
import type { Petition, Section } from '../shared/types';
import { checkDraft, draftErrorsOf, draftOf, emptyDraft, FIELDS, type Draft, type DraftErrors } from './form';
import { newKey } from './keys';
import { lastUsedLine, rememberLine } from './lineMemory';
import { nextLine } from './lines';
import { NoticeView, type Notice } from './Notice';
import { SectionPicker } from './SectionPicker';
import type { Outbox } from './outbox';
import type { OutboxRecord } from './store';

const LAST_COUNTY = 'collect.lastCounty';
/** The fields a whole row wide; the others go two to a row, so that the form fits a phone's screen. */
const WIDE = new Set<string>(['addressLine1', 'county']);

/**
 * One signer after another. The record gets its Idempotency-Key with the first keystroke, so that
 * however often it is sent, it is stored once; it is kept on the device before it is sent.
 */
export function SignerForm(props: {
  petition: Petition;
  outbox: Outbox;
  editing: OutboxRecord | null;
  onEdited: () => void;
  /** The volunteer's paper sections of this petition (none: the form asks for none). */
  sections: Section[];
}) {
  const { petition, outbox, sections } = props;
  const [draft, setDraft] = useState<Draft>(() => emptyDraft(localStorage.getItem(LAST_COUNTY) ?? ''));
  const [key, setKey] = useState<string | null>(null);
  const [errors, setErrors] = useState<DraftErrors>({});
  const [notice, setNotice] = useState<Notice | null>(null);
  const [replaces, setReplaces] = useState<string | null>(null);
  const inputs = useRef<Partial<Record<keyof Draft, HTMLInputElement | HTMLSelectElement | null>>>({});

  /** The line after the last one used on a section (or '' for no section). */
  const lineAfter = (number: string, used = 0): string => {
    const section = sections.find((s) => String(s.number) === number);
    if (!section) return '';
    const last = Math.max(used, lastUsedLine(outbox.userId, petition.id, section.number));
    return String(nextLine(section, outbox.records, petition.id, last));
  };
  const nextDraft = (county: string, section: string, used = 0) =>
    emptyDraft(county, section, section ? lineAfter(section, used) : '');

  /** A section is a sheet of one county: picking it fills in the county and its next line. */
  const pickSection = (number: string) => {
    const section = sections.find((s) => String(s.number) === number);
    const county = section && petition.counties.find((c) => c.fips === section.countyFips)?.name;
    if (!key) setKey(newKey());
    setDraft((d) => ({ ...d, section: number, line: lineAfter(number), county: county ?? d.county }));
    setErrors((e) => ({
      ...e,
      section: undefined,
      line: undefined,
      ...(county ? { county: undefined } : {}),
    }));
  };

  useEffect(
    () =>
      outbox.subscribe((e) => {
        if (e.kind === 'acknowledged') {
          setNotice((n) => {
            const ack = n && e.items.find((i) => i.key === n.key);
            if (!n || !ack) return n;
            return {
              kind: ack.receipt.status === 'duplicate' ? 'duplicate' : 'recorded',
              key: n.key,
              name: n.name,
            };
          });
        }
        if (e.kind === 'changed') {
          setNotice((n) => {
            const refused = n?.kind === 'saved' && outbox.rejected.find((r) => r.key === n.key);
            return refused ? { kind: 'rejected', key: n.key, name: n.name, reason: refused.reason ?? '' } : n;
          });
        }
      }),
    [outbox],
  );

  useEffect(() => {
    const record = props.editing;
    if (!record) return;
    setDraft(draftOf(record.signer, petition.counties));
    setErrors(draftErrorsOf(record.errors ?? []));
    setKey(newKey());
    setReplaces(record.key);
    setNotice(null);
    inputs.current.firstName?.focus();
  }, [props.editing]);

  const change = (field: keyof Draft, value: string) => {
    if (!key) setKey(newKey());
    setDraft((d) => ({ ...d, [field]: value }));
    if (errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const checked = checkDraft(draft, petition.counties, sections);
    if (checked.errors) {
      setErrors(checked.errors);
      const order: (keyof Draft)[] = ['section', 'line', ...FIELDS.map((f) => f.name)];
      const first = order.find((f) => checked.errors[f]);
      if (first) inputs.current[first]?.focus();
      return;
    }
    const recordKey = key ?? newKey();
    const name = `${checked.signer.firstName} ${checked.signer.lastName}`;
    const replaced = replaces;
    // The form is ready for the next signer at once; the volunteer may type while this one is kept.
    setNotice({ kind: 'saved', key: recordKey, name });
    const { sectionNumber, line } = checked.signer;
    setDraft(nextDraft(draft.county, draft.section, line ?? 0));
    setKey(null);
    setErrors({});
    setReplaces(null);
    inputs.current.firstName?.focus();
    localStorage.setItem(LAST_COUNTY, draft.county);
    try {
      await outbox.add({
        key: recordKey,
        userId: outbox.userId,
        petitionId: petition.id,
        signer: { ...checked.signer, signedAt: new Date().toISOString() },
        state: 'waiting',
        savedAt: Date.now(),
      });
      if (sectionNumber != null && line != null)
        rememberLine(outbox.userId, petition.id, sectionNumber, line);
      if (replaced) {
        await outbox.discard(replaced);
        props.onEdited();
      }
    } catch {
      // Storage refused it (full, or private mode): give the record back rather than lose it.
      setDraft(draft);
      setKey(recordKey);
      setReplaces(replaced);
      setNotice({ kind: 'unsaved', key: recordKey, name });
    }
  };

  const errorCount = Object.values(errors).filter(Boolean).length;
  const holding = sections.some((s) => s.status === 'issued' || s.status === 'returned');
  return (
    <form class="card signer-form" onSubmit={submit} noValidate aria-labelledby="form-title">
      <h2 id="form-title">{replaces ? 'Fix the record' : 'New signer'}</h2>
      {notice && <NoticeView notice={notice} />}
      {errorCount > 0 && (
        <Alert kind="error">
          {errorCount === 1 ? 'One field needs' : `${errorCount} fields need`} attention before this record
          can be kept.
        </Alert>
      )}
      {(holding || draft.section) && (
        <SectionPicker
          draft={draft}
          errors={errors}
          sections={sections}
          counties={petition.counties}
          onSection={pickSection}
          onLine={(v) => change('line', v)}
          selectRef={(el) => (inputs.current.section = el)}
          lineRef={(el) => (inputs.current.line = el)}
        />
      )}
      <div class="form-grid">
        {FIELDS.map((f) => (
          <Field
            key={f.name}
            id={f.name}
            label={f.label}
            class={WIDE.has(f.name) ? 'wide' : undefined}
            value={draft[f.name]}
            error={errors[f.name]}
            autoComplete={f.autoComplete}
            inputMode={f.inputMode}
            list={f.name === 'county' ? 'county-options' : undefined}
            hint={f.name === 'county' ? 'Start typing to pick from the list.' : undefined}
            required
            inputRef={(el) => (inputs.current[f.name] = el)}
            onInput={(v) => change(f.name, v)}
          />
        ))}
      </div>
      <datalist id="county-options">
        {petition.counties.map((c) => (
          <option key={c.fips} value={c.name} />
        ))}
      </datalist>
      <div class="actions">
        <button type="submit" class="primary big">
          Record signer
        </button>
        {replaces && (
          <button
            type="button"
            onClick={() => {
              setReplaces(null);
              setDraft(nextDraft(draft.county, draft.section));
              setErrors({});
              props.onEdited();
            }}
          >
            Cancel fixing
          </button>
        )}
      </div>
    </form>
  );
}
