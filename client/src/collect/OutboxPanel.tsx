import { useEffect, useState } from 'preact/hooks';
import { fieldLabel } from './form';
import type { Outbox } from './outbox';
import type { OutboxRecord } from './store';

function useOnline() {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/** How many records wait on this device, whether the device is online, and a way to send now. */
export function OutboxStatus({ outbox }: { outbox: Outbox }) {
  const online = useOnline();
  const waiting = outbox.waiting;
  return (
    <div class={`outbox-status ${waiting ? 'pending' : 'clear'}`}>
      <p role="status" class="outbox-count">
        {!outbox.loaded
          ? 'Checking this device…'
          : waiting > 0
            ? `${waiting} waiting to send`
            : 'Everything is sent'}
        {!online && <span class="badge bad">Offline</span>}
        {outbox.sending && online && <span class="badge">Sending…</span>}
      </p>
      {waiting > 0 && (
        <button type="button" onClick={outbox.flushSoon} disabled={!online || outbox.sending}>
          Send now
        </button>
      )}
    </div>
  );
}

/** Records the server refused, each with its reason, until the volunteer fixes or discards them. */
export function RejectedList(props: { outbox: Outbox; onFix: (record: OutboxRecord) => void }) {
  const rejected = props.outbox.rejected;
  if (!rejected.length) return null;
  const discard = (record: OutboxRecord) => {
    const name = `${record.signer.firstName} ${record.signer.lastName}`;
    if (confirm(`Discard the record of ${name}? It has not been counted and will be lost.`))
      void props.outbox.discard(record.key);
  };
  return (
    <section class="card rejected" aria-labelledby="rejected-title">
      <h2 id="rejected-title">Needs fixing ({rejected.length})</h2>
      <ul class="records">
        {rejected.map((r) => (
          <li key={r.key}>
            <strong>
              {r.signer.firstName} {r.signer.lastName}
            </strong>
            , {r.signer.addressLine1}, {r.signer.city}
            {r.signer.sectionNumber != null && ` · section ${r.signer.sectionNumber}, line ${r.signer.line}`}
            <p class="error">
              {r.reason}
              {r.errors?.map((e) => ` ${fieldLabel(e.path)}: ${e.message}.`)}
            </p>
            <div class="actions">
              <button type="button" onClick={() => props.onFix(r)}>
                Fix
              </button>
              <button type="button" class="danger" onClick={() => discard(r)}>
                Discard
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
