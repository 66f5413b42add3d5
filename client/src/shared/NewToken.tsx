import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, describeError } from './api';
import { Alert, Field } from './components';
import { date } from './format';
import type { IssuedApiToken } from './types';

const DEFAULT_DAYS = 90;
const FIELDS = ['name', 'expiresInDays'] as const;
type Errors = Partial<Record<(typeof FIELDS)[number], string>>;
const isField = (path: string): path is (typeof FIELDS)[number] =>
  (FIELDS as readonly string[]).includes(path);

function check(name: string, days: string): Errors {
  const errors: Errors = {};
  if (!name) errors.name = 'Enter a name that says what the token is for.';
  else if (name.length > 100) errors.name = 'Use at most 100 characters.';
  const n = Number(days);
  if (!/^\d+$/.test(days) || n < 1 || n > 365)
    errors.expiresInDays = 'Enter a whole number of days, from 1 to 365.';
  return errors;
}

/** The form that creates a token, then its secret, shown this once, until the user is done with it. */
export function NewToken(props: { onCreated: (token: IssuedApiToken) => void }) {
  const [name, setName] = useState('');
  const [days, setDays] = useState(String(DEFAULT_DAYS));
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<IssuedApiToken | null>(null);
  const nameInput = useRef<HTMLInputElement | null>(null);
  const daysInput = useRef<HTMLInputElement | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setFailure(null);
    const found = check(name.trim(), days.trim());
    setErrors(found);
    if (found.name) return nameInput.current?.focus();
    if (found.expiresInDays) return daysInput.current?.focus();
    setBusy(true);
    try {
      const token = await api<IssuedApiToken>('POST', '/api/auth/tokens', {
        body: { name: name.trim(), expiresInDays: Number(days) },
      });
      setName('');
      setDays(String(DEFAULT_DAYS));
      setIssued(token);
      props.onCreated(token);
    } catch (err) {
      const named = err instanceof ApiError ? err.errors.filter((f) => isField(f.path)) : [];
      if (named.length) setErrors(Object.fromEntries(named.map((f) => [f.path, f.message])));
      else setFailure(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const done = () => {
    setIssued(null);
    requestAnimationFrame(() => nameInput.current?.focus());
  };

  if (issued) return <Secret issued={issued} onDone={done} />;
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="new-token-title">
      <h2 id="new-token-title">Create a token</h2>
      <p class="muted">
        A token lets a script or another app use the API as you, with all your roles, until it expires or you
        revoke it.
      </p>
      {failure && <Alert kind="error">{failure}</Alert>}
      <div class="inline-form">
        <Field
          id="token-name"
          label="Token name"
          hint="What it is for, such as “county export script”."
          value={name}
          error={errors.name}
          inputRef={(el) => (nameInput.current = el)}
          onInput={setName}
        />
        <Field
          id="token-days"
          label="Days until it expires"
          hint="From 1 to 365."
          type="number"
          inputMode="numeric"
          min={1}
          max={365}
          value={days}
          error={errors.expiresInDays}
          inputRef={(el) => (daysInput.current = el)}
          onInput={setDays}
        />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create token'}
        </button>
      </div>
    </form>
  );
}

function Secret({ issued, onDone }: { issued: IssuedApiToken; onDone: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState('');
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [issued.id]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(issued.token);
      setCopied('Copied to the clipboard.');
    } catch {
      input.current?.select();
      setCopied('Could not copy it here: the token is selected, copy it yourself.');
    }
  };

  return (
    <section class="card secret" aria-labelledby="secret-title">
      <h2 id="secret-title">Token “{issued.name}” created</h2>
      <p id="secret-note" class="alert warning">
        Copy the token now and keep it somewhere safe: it will not be shown again. It expires{' '}
        {date(issued.expiresAt)}.
      </p>
      <label for="token-secret">Token secret</label>
      <div class="copy-row">
        <input
          id="token-secret"
          ref={input}
          readOnly
          value={issued.token}
          spellcheck={false}
          autoComplete="off"
          aria-describedby="secret-note"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p role="status" class="copy-status">
        {copied}
      </p>
      <button type="button" class="primary" onClick={onDone}>
        Done
      </button>
    </section>
  );
}
