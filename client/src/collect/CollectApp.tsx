import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, describeError } from '../shared/api';
import { Alert, Layout, SessionGate } from '../shared/components';
import { currentUser, hasRole, signOut } from '../shared/session';
import { Tokens } from '../shared/Tokens';
import type { Petition, PetitionList, User } from '../shared/types';
import { linesKey } from './lineMemory';
import { MySections } from './MySections';
import { MySigners } from './MySigners';
import { withOfflineCopy } from './offline';
import { Outbox } from './outbox';
import { OutboxStatus, RejectedList } from './OutboxPanel';
import { SignerForm } from './SignerForm';
import type { OutboxRecord } from './store';
import { sectionsKey, useSections } from './useSections';

const CHOSEN = 'collect.petition';
const USER = 'collect.user';
const PETITIONS = 'collect.petitions';

/** Petitions this volunteer may collect for now. */
async function collectable(user: User): Promise<Petition[]> {
  return withOfflineCopy(`${PETITIONS}.${user.id}`, async () => {
    const { items } = await api<PetitionList>('GET', '/api/petitions');
    const mine = items.filter((p) => p.status === 'circulating' && hasRole(user, p.id, 'volunteer'));
    return Promise.all(mine.map((p) => api<Petition>('GET', `/api/petitions/${p.id}`)));
  });
}

function forget(user: User, petitions: Petition[]) {
  const sections = petitions.map((p) => sectionsKey(user.id, p.id));
  for (const name of [CHOSEN, USER, `${PETITIONS}.${user.id}`, linesKey(user.id), ...sections])
    localStorage.removeItem(name);
}

export function CollectApp() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const signedIn = (u: User) => {
    localStorage.setItem(USER, JSON.stringify(u));
    setUser(u);
  };

  useEffect(() => {
    withOfflineCopy(USER, currentUser).then(setUser, (err) => {
      setError(describeError(err));
      setUser(null);
    });
  }, []);

  if (!user)
    return <SessionGate user={user} error={error} intro="Sign in to record signers." onSignedIn={signedIn} />;
  // Logging out has already erased the device's copy of the user (forget).
  return <Collecting key={user.id} user={user} onSignedOut={() => setUser(null)} />;
}

function Collecting({ user, onSignedOut }: { user: User; onSignedOut: () => void }) {
  const outbox = useMemo(() => new Outbox(user.id), [user.id]);
  const [, setVersion] = useState(0);
  const [petitions, setPetitions] = useState<Petition[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(localStorage.getItem(CHOSEN));
  const [editing, setEditing] = useState<OutboxRecord | null>(null);
  const [sessionEnded, setSessionEnded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tokensOpen, setTokensOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const off = outbox.subscribe((e) => {
      if (e.kind === 'signed-out') setSessionEnded(true);
      setVersion((v) => v + 1);
    });
    void outbox.start();
    return () => {
      off();
      outbox.stop();
    };
  }, [outbox]);

  useEffect(() => {
    collectable(user).then(setPetitions, (err) => setError(describeError(err)));
  }, [user]);

  const petition =
    petitions?.find((p) => p.id === chosen) ?? (petitions?.length === 1 ? petitions[0] : undefined) ?? null;

  const choose = (id: string | null) => {
    if (id) localStorage.setItem(CHOSEN, id);
    else localStorage.removeItem(CHOSEN);
    setChosen(id);
  };

  const unsent = outbox.records.length;
  const logOut = () => (unsent > 0 ? dialog.current?.showModal() : void finishLogOut());
  const finishLogOut = async () => {
    dialog.current?.close();
    await outbox.clear();
    forget(user, petitions ?? []);
    await signOut().catch(() => undefined);
    onSignedOut();
  };

  return (
    <Layout user={user} onSignOut={logOut} nav={petition && <a href={`/p/${petition.slug}`}>Progress</a>}>
      <OutboxStatus outbox={outbox} />
      {sessionEnded && (
        <Alert kind="warning">
          Your session has ended. The records on this device are kept; <a href="/collect">sign in again</a> to
          send them.
        </Alert>
      )}
      {error && <Alert kind="error">{error}</Alert>}
      {!petitions && !error && <p>Loading petitions…</p>}
      {petitions?.length === 0 && (
        <Alert kind="info">You are not a volunteer on any petition that is collecting signatures now.</Alert>
      )}
      {petitions && petitions.length > 0 && !petition && (
        <PetitionChoice petitions={petitions} onChoose={choose} />
      )}
      {petition && (
        <>
          <div class="petition-bar">
            <h1>{petition.title}</h1>
            {petitions && petitions.length > 1 && (
              <button type="button" class="link" onClick={() => choose(null)}>
                Change petition
              </button>
            )}
          </div>
          <Desk
            key={petition.id}
            petition={petition}
            outbox={outbox}
            editing={editing}
            onEditing={setEditing}
          />
        </>
      )}
      <details
        class="card account"
        onToggle={(e) => setTokensOpen((e.currentTarget as HTMLDetailsElement).open)}
      >
        <summary>API tokens</summary>
        {tokensOpen && <Tokens />}
      </details>
      <dialog ref={dialog} aria-labelledby="logout-title">
        <h2 id="logout-title">Records not sent</h2>
        <p>
          {unsent === 1 ? 'One record has' : `${unsent} records have`} not reached the server. Logging out
          deletes {unsent === 1 ? 'it' : 'them'} from this device, and {unsent === 1 ? 'it' : 'they'} will not
          be counted.
        </p>
        <div class="actions">
          <button type="button" class="primary" onClick={() => dialog.current?.close()}>
            Stay signed in
          </button>
          <button type="button" class="danger" onClick={() => void finishLogOut()}>
            Log out and delete
          </button>
        </div>
      </dialog>
    </Layout>
  );
}

/** The form, what needs fixing, the volunteer's paper sections and today's signers, for one petition. */
function Desk(props: {
  petition: Petition;
  outbox: Outbox;
  editing: OutboxRecord | null;
  onEditing: (record: OutboxRecord | null) => void;
}) {
  const { petition, outbox } = props;
  const { sections, error, markReturned } = useSections(petition.id, outbox);
  return (
    <>
      <SignerForm
        petition={petition}
        outbox={outbox}
        sections={sections}
        editing={props.editing}
        onEdited={() => props.onEditing(null)}
      />
      <RejectedList outbox={outbox} onFix={props.onEditing} />
      {error && <Alert kind="error">Your sections could not be read: {error}</Alert>}
      <MySections petition={petition} outbox={outbox} sections={sections} onReturn={markReturned} />
      <MySigners petition={petition} outbox={outbox} />
    </>
  );
}

function PetitionChoice(props: { petitions: Petition[]; onChoose: (id: string) => void }) {
  return (
    <section class="card">
      <h1>Choose a petition</h1>
      <ul class="records">
        {props.petitions.map((p) => (
          <li key={p.id}>
            <button type="button" onClick={() => props.onChoose(p.id)}>
              {p.title}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
