import { count, day, percent } from '../shared/format';
import { hasRole } from '../shared/session';
import type { Petition, Progress, User } from '../shared/types';

/** A petition on the home page: what it is, how far it has come, and the ways into it for this visitor. */
export function PetitionCard(props: {
  petition: Petition;
  progress: Progress | undefined;
  user: User | null;
}) {
  const { petition: p, progress, user } = props;
  return (
    <li class="card petition-card">
      <h2>
        <a href={`/p/${p.slug}`}>{p.title}</a>
      </h2>
      {p.summary && <p class="summary">{p.summary}</p>}
      {progress && <Collected progress={progress} />}
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
  );
}

/** Signers collected against the requirement, in words and as a bar, with the share written out. */
function Collected({ progress }: { progress: Progress }) {
  const { raw, percentOfRequired } = progress.totals;
  return (
    <div class="collected">
      <p>
        <strong>{count(raw)}</strong> of {count(progress.petition.signaturesRequired)} signatures required
      </p>
      <div class="mini-bar">
        <div class="mini-track" aria-hidden="true">
          <div class="mini-fill" style={{ width: `${Math.min(100, percentOfRequired)}%` }} />
        </div>
        <span>{percent(percentOfRequired)}</span>
      </div>
    </div>
  );
}
