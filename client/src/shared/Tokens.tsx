import { useEffect, useRef, useState } from 'preact/hooks';
import { api, describeError } from './api';
import { Alert } from './components';
import { date, dateTime } from './format';
import { NewToken } from './NewToken';
import type { ApiToken, TokenList } from './types';

/** The signed-in user's bearer tokens: create one (its secret shown once), see them all, revoke one. */
export function Tokens() {
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const refresh = () =>
    api<TokenList>('GET', '/api/auth/tokens').then(
      (r) => setTokens(r.items),
      (err) => setError(describeError(err)),
    );
  useEffect(() => void refresh(), []);

  const ask = (token: ApiToken) => {
    setRevoking(token);
    dialog.current?.showModal();
  };

  const revoke = async (token: ApiToken) => {
    setBusy(true);
    setError(null);
    setStatus('');
    try {
      await api('DELETE', `/api/auth/tokens/${token.id}`);
      setStatus(`Token “${token.name}” revoked: it no longer works.`);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
      dialog.current?.close();
      heading.current?.focus();
      await refresh();
    }
  };

  const now = Date.now();
  return (
    <div class="tokens">
      <div role="status" class={status ? 'alert success' : undefined}>
        {status}
      </div>
      {error && <Alert kind="error">{error}</Alert>}
      <NewToken
        onCreated={() => {
          setStatus('');
          void refresh();
        }}
      />
      <section class="card" aria-labelledby="tokens-title">
        <h2 id="tokens-title" ref={heading} tabIndex={-1}>
          Your tokens {tokens && `(${tokens.length})`}
        </h2>
        {!tokens ? (
          !error && <p>Loading…</p>
        ) : tokens.length === 0 ? (
          <p class="muted">You have no tokens.</p>
        ) : (
          <ul class="token-list">
            {tokens.map((t) => {
              const expired = Date.parse(t.expiresAt) <= now;
              return (
                <li key={t.id}>
                  <div>
                    <strong>{t.name}</strong> {expired && <span class="badge bad">expired</span>}
                    <p class="muted">
                      Created <time dateTime={t.createdAt}>{date(t.createdAt)}</time> ·{' '}
                      {expired ? 'Expired' : 'Expires'}{' '}
                      <time dateTime={t.expiresAt}>{date(t.expiresAt)}</time> ·{' '}
                      {t.lastUsedAt ? (
                        <>
                          Last used <time dateTime={t.lastUsedAt}>{dateTime(t.lastUsedAt)}</time>
                        </>
                      ) : (
                        'Never used'
                      )}
                    </p>
                  </div>
                  <button type="button" class="danger" aria-label={`Revoke ${t.name}`} onClick={() => ask(t)}>
                    Revoke
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <dialog ref={dialog} aria-labelledby="revoke-title" onClose={() => setRevoking(null)}>
        <h2 id="revoke-title">Revoke “{revoking?.name}”?</h2>
        <p>Anything that uses this token stops working at once. This cannot be undone.</p>
        <div class="actions">
          <button type="button" class="primary" onClick={() => dialog.current?.close()}>
            Keep it
          </button>
          <button
            type="button"
            class="danger"
            disabled={busy}
            onClick={() => revoking && void revoke(revoking)}
          >
            {busy ? 'Revoking…' : 'Revoke token'}
          </button>
        </div>
      </dialog>
    </div>
  );
}
