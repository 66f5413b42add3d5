import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../shared/api';
import { Alert, Layout } from '../shared/components';
import { day } from '../shared/format';
import { currentUser, hasRole, signOut } from '../shared/session';
import type { Petition, PetitionList, User } from '../shared/types';
import '../shared/base.css';

/** The petitions the visitor can see, with the way into each page made for them. */
function Home() {
  const [user, setUser] = useState<User | null>(null);
  const [petitions, setPetitions] = useState<Petition[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = () => {
    currentUser().then(setUser, () => setUser(null));
    api<PetitionList>('GET', '/api/petitions').then(
      (r) => setPetitions(r.items),
      (err) => setError(describeError(err)),
    );
  };
  useEffect(refresh, []);

  const logOut = async () => {
    await signOut().catch(() => undefined);
    refresh();
  };

  return (
    <Layout
      user={user}
      onSignOut={user ? logOut : undefined}
      nav={
        <>
          <a href="/collect">Collect signatures</a>
          <a href="/api/openapi.json">API</a>
        </>
      }
    >
      <h1>Petitions</h1>
      {error && <Alert kind="error">{error}</Alert>}
      {!petitions && !error && <p>Loading…</p>}
      {petitions?.length === 0 && <p>No public petitions yet. Members can sign in from the volunteer app.</p>}
      <ul class="petition-list">
        {petitions?.map((p) => (
          <li key={p.id} class="card">
            <h2>
              <a href={`/p/${p.slug}`}>{p.title}</a>
            </h2>
            {p.summary && <p>{p.summary}</p>}
            <p class="muted">
              {p.state} · {p.status} · deadline {day(p.deadline)}
            </p>
            <p class="actions">
              <a href={`/p/${p.slug}`}>Progress</a>
              {hasRole(user, p.id, 'volunteer') && p.status === 'circulating' && (
                <a href="/collect">Collect signers</a>
              )}
              {hasRole(user, p.id, 'organizer') && <a href={`/organize/${p.slug}`}>Organize</a>}
            </p>
          </li>
        ))}
      </ul>
      {!user && (
        <p>
          Volunteers and organizers: <a href="/collect">sign in</a>.
        </p>
      )}
    </Layout>
  );
}

render(<Home />, document.getElementById('app') as HTMLElement);
