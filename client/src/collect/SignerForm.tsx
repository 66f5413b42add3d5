import { useEffect, useRef, useState } from 'preact/hooks';
import { Alert, Field } from '../shared/components';
import type { Petition } from '../shared/types';
import { checkDraft, draftErrorsOf, draftOf, emptyDraft, FIELDS, type Draft, type DraftErrors } from './form';
import { newKey } from './keys';
import type { Outbox } from './outbox';
import type { OutboxRecord } from './store';

type Notice =
  | { kind: 'saved'; key: string; name: string }
  | { kind: 'recorded'; key: string; name: string }
  | { kind: 'duplicate'; key: string; name: string }
  | { kind: 'rejected'; key: string; name: string; reason: string }
  | { kind: 'unsaved'; key: string; name: string };

const LAST_COUNTY = 'collect.lastCounty';

/**
 * One signer after another. The record gets its Idempotency-Key with the first keystroke, so that
 * however often it is sent, it is stored once; it is kept on the device before it is sent.
 */
export function SignerForm(props: {
  petition: Petition;
  outbox: Outbox;
  editing: OutboxRecord | null;
  onEdited: () => void;
}) {
  const { petition, outbox } = props;
  const [draft, setDraft] = useState<Draft>(() => emptyDraft(localStorage.getItem(LAST_COUNTY) ?? ''));
  const [key, setKey] = useState<string | null>(null);
  const [errors, setErrors] = useState<DraftErrors>({});
  const [notice, setNotice] = useState<Notice | null>(null);
  const [replaces, setReplaces] = useState<string | null>(null);
  const inputs = useRef<Partial<Record<keyof Draft, HTMLInputElement | null>>>({});

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
    const checked = checkDraft(draft, petition.counties);
    if (checked.errors) {
      setErrors(checked.errors);
      const first = FIELDS.find((f) => checked.errors[f.name]);
      if (first) inputs.current[first.name]?.focus();
      return;
    }
    const recordKey = key ?? newKey();
    const name = `${checked.signer.firstName} ${checked.signer.lastName}`;
    const replaced = replaces;
    // The form is ready for the next signer at once; the volunteer may type while this one is kept.
    setNotice({ kind: 'saved', key: recordKey, name });
    setDraft(emptyDraft(draft.county));
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
      <div class="form-grid">
        {FIELDS.map((f) => (
          <Field
            key={f.name}
            id={f.name}
            label={f.label}
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
              setDraft(emptyDraft(draft.county));
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

function NoticeView({ notice }: { notice: Notice }) {
  switch (notice.kind) {
    case 'saved':
      return (
        <Alert kind="info">
          {notice.name} is saved on this device
          {navigator.onLine ? ' and being sent.' : ' and will be sent when the connection returns.'}
        </Alert>
      );
    case 'recorded':
      return <Alert kind="success">Recorded: {notice.name}.</Alert>;
    case 'duplicate':
      return (
        <Alert kind="warning">
          <strong>Possible duplicate:</strong> {notice.name} matches a signer already recorded for this
          petition. The record is kept and marked as a duplicate for the organizers to review.
        </Alert>
      );
    case 'unsaved':
      return (
        <Alert kind="error">
          {notice.name} could not be kept on this device (its storage may be full). The record is back in the
          form: try again, or free some space.
        </Alert>
      );
    case 'rejected':
      return (
        <Alert kind="error">
          {notice.name} was not accepted: {notice.reason} It is listed under “Needs fixing”.
        </Alert>
      );
  }
}
