import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { describeError } from './api';
import { signIn } from './session';
import type { User } from './types';

/**
 * The frame every page shares: a skip link, the site bar with who is signed in (or a way to sign in,
 * where the page offers one), the main region.
 */
export function Layout(props: {
  user?: User | null;
  onSignOut?: () => void;
  /** Shows or hides the page's sign-in form; `signingIn` says whether it is shown. */
  onSignIn?: () => void;
  signingIn?: boolean;
  nav?: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="site">
        <a class="brand" href="/">
          Petitions
        </a>
        <nav aria-label="Main">{props.nav}</nav>
        {!props.user && props.onSignIn && (
          <button type="button" class="link" aria-expanded={props.signingIn} onClick={props.onSignIn}>
            Sign in
          </button>
        )}
        {props.user && (
          <div class="who">
            <span class="who-name">{props.user.name}</span>
            {props.onSignOut && (
              <button type="button" class="link" onClick={props.onSignOut}>
                Log out
              </button>
            )}
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
    </>
  );
}

/** A labelled input whose error is tied to it (aria-invalid + aria-describedby). */
export function Field(props: {
  id: string;
  label: string;
  value: string;
  error?: string;
  hint?: string;
  /** More classes for the field's box, for its place in a layout. */
  class?: string;
  type?: string;
  autoComplete?: string;
  inputMode?: 'text' | 'numeric' | 'email' | 'search';
  list?: string;
  required?: boolean;
  min?: number;
  max?: number;
  onInput: (value: string) => void;
  inputRef?: (el: HTMLInputElement | null) => void;
}) {
  const described = [props.hint && `${props.id}-hint`, props.error && `${props.id}-error`]
    .filter(Boolean)
    .join(' ');
  return (
    <div class={['field', props.error && 'invalid', props.class].filter(Boolean).join(' ')}>
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? 'text'}
        value={props.value}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        list={props.list}
        required={props.required}
        min={props.min}
        max={props.max}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described || undefined}
        ref={props.inputRef}
        onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
      />
      {props.error && (
        <p class="error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** A message region that screen readers announce when it changes. */
export function Alert(props: {
  kind: 'error' | 'info' | 'success' | 'warning';
  children: ComponentChildren;
}) {
  return (
    <div class={`alert ${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}

export function SignInForm(props: { onSignedIn: (user: User) => void; intro?: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      props.onSignedIn(await signIn(email.trim(), password));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card narrow" onSubmit={submit} noValidate aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in</h1>
      {props.intro && <p>{props.intro}</p>}
      {error && <Alert kind="error">{error}</Alert>}
      <Field id="email" label="Email" type="email" autoComplete="username" value={email} onInput={setEmail} />
      <Field
        id="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        value={password}
        onInput={setPassword}
      />
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

/**
 * What a members' page shows before it knows its user: a loading line (or the error that stopped
 * it) while the session is asked for, the sign-in form when nobody is signed in.
 */
export function SessionGate(props: {
  user: User | null | undefined;
  error: string | null;
  intro: string;
  onSignedIn: (user: User) => void;
}) {
  return (
    <Layout>
      {props.user === undefined ? (
        props.error ? (
          <Alert kind="error">{props.error}</Alert>
        ) : (
          <p>Loading…</p>
        )
      ) : (
        <SignInForm intro={props.intro} onSignedIn={props.onSignedIn} />
      )}
    </Layout>
  );
}
