import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../shared/api';
import { Alert, Layout, SessionGate } from '../shared/components';
import { currentUser, hasRole, signOut } from '../shared/session';
import { Tokens } from '../shared/Tokens';
import type { Petition, User } from '../shared/types';
import { Circulators } from './Circulators';
import { Members } from './Members';
import { Review } from './Review';
import { Sections } from './Sections';

const TABS = [
  { id: 'members', label: 'Members' },
  { id: 'review', label: 'Verification and review' },
  { id: 'circulators', label: 'Circulators' },
  { id: 'sections', label: 'Sections' },
  { id: 'tokens', label: 'API tokens' },
] as const;
type Tab = (typeof TABS)[number]['id'];

/**
 * The organizer's pages of one petition: members and roles, verification and review, circulators,
 * the paper sections, and the organizer's own API tokens.
 */
export function Organize({ slug, initialTab }: { slug: string; initialTab: string }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [petition, setPetition] = useState<Petition | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>(TABS.find((t) => t.id === initialTab)?.id ?? 'members');

  useEffect(() => {
    currentUser().then(setUser, (err) => setError(describeError(err)));
  }, []);
  useEffect(() => {
    if (!user) return;
    api<Petition>('GET', `/api/petitions/${encodeURIComponent(slug)}`).then(setPetition, (err) =>
      setError(describeError(err)),
    );
  }, [user, slug]);
  useEffect(() => {
    const back = () => setTab((location.pathname.split('/')[3] as Tab | undefined) ?? 'members');
    window.addEventListener('popstate', back);
    return () => window.removeEventListener('popstate', back);
  }, []);

  // On a phone the tabs scroll sideways: keep the current one in sight.
  useEffect(() => {
    document
      .querySelector('.tabs [aria-current="page"]')
      ?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [tab, petition]);

  const go = (e: MouseEvent, next: Tab) => {
    e.preventDefault();
    history.pushState(null, '', `/organize/${slug}/${next}`);
    setTab(next);
  };
  const logOut = async () => {
    await signOut().catch(() => undefined);
    setUser(null);
  };

  if (!user)
    return (
      <SessionGate
        user={user}
        error={error}
        intro="Sign in to organize this petition."
        onSignedIn={setUser}
      />
    );
  const allowed = petition && hasRole(user, petition.id, 'organizer');
  return (
    <Layout user={user} onSignOut={logOut} nav={<a href={`/p/${slug}`}>Progress</a>}>
      {error && <Alert kind="error">{error}</Alert>}
      {petition && !allowed && (
        <Alert kind="error">Only the petition's organizers can use these pages.</Alert>
      )}
      {petition && allowed && (
        <>
          <h1>{petition.title}</h1>
          <nav aria-label="Organizer pages" class="tabs">
            {TABS.map((t) => (
              <a
                key={t.id}
                href={`/organize/${slug}/${t.id}`}
                aria-current={tab === t.id ? 'page' : undefined}
                onClick={(e) => go(e, t.id)}
              >
                {t.label}
              </a>
            ))}
          </nav>
          {tab === 'members' && <Members petition={petition} selfId={user.id} />}
          {tab === 'review' && <Review petition={petition} />}
          {tab === 'circulators' && <Circulators petition={petition} />}
          {tab === 'sections' && <Sections petition={petition} />}
          {tab === 'tokens' && <Tokens />}
        </>
      )}
    </Layout>
  );
}
