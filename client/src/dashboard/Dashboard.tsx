import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, describeError } from '../shared/api';
import { Alert, Layout, SignInForm } from '../shared/components';
import { count, time } from '../shared/format';
import { currentUser, hasRole, signOut } from '../shared/session';
import type { Petition, Progress, User } from '../shared/types';
import { CountyMap } from './CountyMap';
import { CountyTable } from './CountyTable';
import { Downloads } from './Downloads';
import { useLiveProgress } from './live';
import { Pace } from './Pace';
import { hasSections, PaperTrail } from './PaperTrail';
import { ProgressBar } from './ProgressBar';
import { SamplePanel } from './SamplePanel';
import { TrendChart } from './TrendChart';

type Load =
  | { state: 'loading' }
  | { state: 'ready'; petition: Petition; progress: Progress }
  | { state: 'hidden' }
  | { state: 'failed'; message: string };

async function load(slug: string): Promise<Load> {
  const path = `/api/petitions/${encodeURIComponent(slug)}`;
  try {
    const [petition, progress] = await Promise.all([
      api<Petition>('GET', path),
      api<Progress>('GET', `${path}/progress`),
    ]);
    return { state: 'ready', petition, progress };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 401)) return { state: 'hidden' };
    return { state: 'failed', message: describeError(err) };
  }
}

export function Dashboard({ slug }: { slug: string }) {
  const [user, setUser] = useState<User | null>(null);
  const [loaded, setLoaded] = useState<Load>({ state: 'loading' });
  const ready = loaded.state === 'ready' ? loaded : null;
  const { progress, connection } = useLiveProgress(ready?.petition.id ?? null, ready?.progress ?? null);

  useEffect(() => {
    void load(slug).then(setLoaded);
    currentUser().then(setUser, () => setUser(null));
  }, [slug]);

  useEffect(() => {
    if (ready) document.title = `${ready.petition.title}: progress`;
  }, [ready?.petition.title]);

  const logOut = async () => {
    await signOut().catch(() => undefined);
    setUser(null);
    setLoaded(await load(slug));
  };
  const nav = user && ready && hasRole(user, ready.petition.id, 'organizer') && (
    <a href={`/organize/${ready.petition.slug}`}>Organize</a>
  );

  return (
    <Layout user={user} onSignOut={user ? logOut : undefined} nav={nav}>
      {loaded.state === 'loading' && <p aria-live="polite">Loading…</p>}
      {loaded.state === 'failed' && <Alert kind="error">{loaded.message}</Alert>}
      {loaded.state === 'hidden' &&
        (user ? (
          <Alert kind="error">There is no petition at this address, or you are not a member of it.</Alert>
        ) : (
          <SignInForm
            intro="This petition is not public, or there is none at this address. Members can sign in to see it."
            onSignedIn={async (u) => {
              setUser(u);
              setLoaded(await load(slug));
            }}
          />
        ))}
      {ready && progress && (
        <DashboardBody petition={ready.petition} progress={progress} user={user} connection={connection} />
      )}
    </Layout>
  );
}

function DashboardBody(props: {
  petition: Petition;
  progress: Progress;
  user: User | null;
  connection: 'connecting' | 'live' | 'disconnected';
}) {
  const { petition, progress, user } = props;
  // Samples and the tallies CSV are for viewers and up, even on a public petition.
  const viewerOrUp = hasRole(user, petition.id, 'viewer');
  // The paper behind the signers is for members only, and only where the petition uses sections.
  const paper = viewerOrUp && hasSections(progress);
  return (
    <>
      <div class="title-row">
        <div>
          <h1>{petition.title}</h1>
          {petition.summary && <p class="muted">{petition.summary}</p>}
        </div>
        <p class={`connection ${props.connection}`} role="status">
          {props.connection === 'live' && `Live · updated ${time(progress.asOf)}`}
          {props.connection === 'connecting' && 'Connecting…'}
          {props.connection === 'disconnected' && 'Disconnected: reconnecting… (figures may be out of date)'}
        </p>
      </div>

      <section class="card" aria-labelledby="progress-title">
        <h2 id="progress-title">
          {count(progress.totals.raw)} of {count(petition.signaturesRequired)} signatures required
        </h2>
        <ProgressBar progress={progress} />
        <Pace progress={progress} />
      </section>

      {paper && <PaperTrail progress={progress} />}

      {viewerOrUp && <SamplePanel petitionId={petition.id} asOf={progress.asOf} />}

      <div class="grid">
        <section class="card" aria-labelledby="map-title">
          <h2 id="map-title">Counties</h2>
          <CountyMap state={petition.state} counties={progress.counties} totalRaw={progress.totals.raw} />
        </section>
        <section class="card" aria-labelledby="trend-title">
          <h2 id="trend-title">Signers per day</h2>
          <TrendChart daily={progress.daily} asOf={progress.asOf} />
        </section>
      </div>

      <section class="card" aria-labelledby="table-title">
        <div class="title-row">
          <h2 id="table-title">County tallies</h2>
          {viewerOrUp && <Downloads path={`/api/petitions/${petition.id}/tallies`} what="county tallies" />}
        </div>
        <CountyTable counties={progress.counties} lines={paper} />
        <p class="totals-row">
          Total: <strong data-total-raw={progress.totals.raw}>{count(progress.totals.raw)}</strong> collected,{' '}
          {count(progress.totals.valid)} valid, {count(progress.totals.projectedValid)} projected valid.
        </p>
      </section>
    </>
  );
}
