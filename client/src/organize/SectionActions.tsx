import { useState } from 'preact/hooks';
import { api, describeError, errorsByField } from '../shared/api';
import { Field } from '../shared/components';
import { sectionPath } from '../shared/sections';
import type { Membership, Petition, Section, SectionChange } from '../shared/types';

const FIELDS = ['linesCounted', 'declarationSignedAt', 'reason', 'circulatorId'] as const;
type Errors = Partial<Record<(typeof FIELDS)[number], string>>;
const today = () => new Date().toISOString().slice(0, 10);

/** What an organizer may do with a section as it stands: the moves the contract allows from its status. */
export function SectionActions(props: {
  petition: Petition;
  section: Section;
  members: Membership[];
  onChanged: (section: Section) => void;
}) {
  const { section } = props;
  const [lines, setLines] = useState(section.linesCounted === null ? '' : String(section.linesCounted));
  const [declared, setDeclared] = useState(section.declarationSignedAt ?? '');
  const [reason, setReason] = useState('');
  const [circulator, setCirculator] = useState(section.circulatorId ?? '');
  const [errors, setErrors] = useState<Errors>({});
  const [status, setStatus] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const n = section.number;

  const send = async (body: SectionChange, said: (s: Section) => string) => {
    setBusy(true);
    setStatus(null);
    try {
      const changed = await api<Section>('PATCH', sectionPath(props.petition.id, n), { body });
      setErrors({});
      setReason('');
      setStatus({ kind: 'success', text: said(changed) });
      props.onChanged(changed);
    } catch (err) {
      setErrors(errorsByField(err, FIELDS));
      setStatus({ kind: 'error', text: describeError(err) });
    } finally {
      setBusy(false);
    }
  };

  const count = (e: Event) => {
    e.preventDefault();
    const found: Errors = {};
    const v = Number(lines.trim());
    if (!/^\d+$/.test(lines.trim()) || v > 1000)
      found.linesCounted = 'Enter the lines signed, from 0 to 1000.';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(declared))
      found.declarationSignedAt = 'Enter the date the circulator signed.';
    else if (declared > today())
      found.declarationSignedAt = 'The declaration cannot be signed in the future.';
    setErrors(found);
    if (Object.keys(found).length) return;
    const correcting = section.status === 'counted';
    void send(
      { ...(correcting ? {} : { status: 'counted' }), linesCounted: v, declarationSignedAt: declared },
      (s) => `Section ${n} ${correcting ? 'count corrected' : 'is counted'}: ${s.linesCounted} lines.`,
    );
  };

  const setAside = (to: 'lost' | 'void') => {
    if (!reason.trim()) {
      setErrors({ reason: `Say why the section is ${to}.` });
      document.getElementById('sec-reason')?.focus();
      return;
    }
    void send({ status: to, reason: reason.trim() }, () => `Section ${n} is ${to}.`);
  };

  const canLose = section.status === 'issued' || section.status === 'returned';
  const canVoid = canLose || section.status === 'counted';
  const canCount = section.status === 'returned' || section.status === 'counted';
  const canReassign = canLose || section.status === 'lost';
  return (
    <div class="section-actions">
      <div role="status" class={status ? `alert ${status.kind}` : undefined}>
        {status?.text}
      </div>
      {(section.status === 'issued' || section.status === 'lost') && (
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={() => void send({ status: 'returned' }, () => `Section ${n} is returned.`)}
        >
          Mark returned
        </button>
      )}
      {canCount && (
        <form class="inline-form" onSubmit={count} noValidate aria-label={`Count section ${n}`}>
          <Field
            id="sec-lines"
            label="Lines counted"
            inputMode="numeric"
            value={lines}
            error={errors.linesCounted}
            onInput={setLines}
          />
          <Field
            id="sec-declared"
            label="Declaration signed on"
            type="date"
            value={declared}
            error={errors.declarationSignedAt}
            onInput={setDeclared}
          />
          <button type="submit" class="primary" disabled={busy}>
            {section.status === 'counted' ? 'Correct the count' : 'Mark counted'}
          </button>
        </form>
      )}
      {canReassign && (
        <div class="inline-form">
          <div class="field">
            <label for="sec-circulator">Circulator</label>
            <select
              id="sec-circulator"
              value={circulator}
              onChange={(e) => setCirculator(e.currentTarget.value)}
            >
              <option value="">Nobody</option>
              {props.members
                .filter((m) => m.role !== 'viewer')
                .map((m) => (
                  <option key={m.userId} value={m.userId}>
                    {m.name} ({m.role})
                  </option>
                ))}
            </select>
          </div>
          <button
            type="button"
            disabled={busy || circulator === (section.circulatorId ?? '')}
            onClick={() =>
              void send({ circulatorId: circulator || null }, () => `Section ${n} is reassigned.`)
            }
          >
            Reassign
          </button>
        </div>
      )}
      {canVoid && (
        <div class="inline-form">
          <Field
            id="sec-reason"
            label="Reason (to mark lost or void)"
            value={reason}
            error={errors.reason}
            onInput={setReason}
          />
          <div class="actions">
            {canLose && (
              <button type="button" class="danger" disabled={busy} onClick={() => setAside('lost')}>
                Mark lost
              </button>
            )}
            <button type="button" class="danger" disabled={busy} onClick={() => setAside('void')}>
              Void
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
