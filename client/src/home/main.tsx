import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../shared/api';
import { Alert, Layout, SignInForm } from '../shared/components';
import { currentUser, signOut } from '../shared/session';
import type { Petition, PetitionList, Progress, User } from '../shared/types';
import { PetitionCard } from './PetitionCard';
import '../shared/base.css';
import './home.css';

/** Each petition's progress, as far as the visitor may read it (a petition refused is left without). */
async function progressOf(petitions: Petition[]): Promise<Record<string, Progress>> {
  const answers = await Promise.all(
    petitions.map((p) =>
      api<Progress>('GET', `/api/petitions/${p.id}/progress`).then(
        (progress) => [p.id, progress] as const,
        () => null,
      ),
    ),
  );
  return Object.fromEntries(answers.filter((a) => a !== null));
}

/** The petitions the visitor can see, each with how far it has come and the ways into it. */
function Home() {
  const [user, setUser] = useState<User | null>(null);
  const [signingIn, setSigningIn] = useState(false);
  const [petitions, setPetitions] = useState<Petition[] | null>(null);
  const [progress, setProgress] = useState<Record<string, Progress>>({});
  const [error, setError] = useState<string | null>(null);

  const refresh = () => {
    currentUser().then(setUser, () => setUser(null));
    api<PetitionList>('GET', '/api/petitions').then(
      (r) => {
        setPetitions(r.items);
        void progressOf(r.items).then(setProgress);
      },
      (err) => setError(describeError(err)),
    );
  };
  useEffect(refresh, []);
  useEffect(() => {
    if (signingIn) document.getElementById('email')?.focus();
  }, [signingIn]);

  const signedIn = (u: User) => {
    setSigningIn(false);
    setUser(u);
    refresh();
  };
  const logOut = async () => {
    await signOut().catch(() => undefined);
    refresh();
  };

  return (
    <Layout
      user={user}
      onSignOut={user ? logOut : undefined}
      onSignIn={() => setSigningIn((open) => !open)}
      signingIn={signingIn}
      nav={
        <>
          <a href="/collect">Collect signatures</a>
          <a href="/api/openapi.json">API</a>
        </>
      }
    >
      {signingIn && !user && (
        <SignInForm
          intro="For volunteers and organizers: your petitions then show here."
          onSignedIn={signedIn}
        />
      )}
      <h1>Petitions</h1>
      {error && <Alert kind="error">{error}</Alert>}
      {!petitions && !error && <p>Loading…</p>}
      {petitions?.length === 0 && <p>No public petitions yet. Members can sign in to see theirs.</p>}
      {petitions && petitions.length > 0 && (
        <ul class="petition-list">
          {petitions.map((p) => (
            <PetitionCard key={p.id} petition={p} progress={progress[p.id]} user={user} />
          ))}
        </ul>
      )}
    </Layout>
  );
}

render(<Home />, document.getElementById('app') as HTMLElement);
