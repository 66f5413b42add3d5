import { count, day } from '../shared/format';
import type { Progress } from '../shared/types';
import { BAND_TEXT } from './bands';

/** Days left, the pace needed to reach 110 % projected and the pace of the last week. */
export function Pace({ progress }: { progress: Progress }) {
  const { daysLeft, neededPerDay, last7DaysPerDay } = progress.pace;
  const onPace = neededPerDay !== null && last7DaysPerDay >= neededPerDay;
  return (
    <>
      <dl class="stats">
        <div>
          <dt>Days left</dt>
          <dd>{count(daysLeft)}</dd>
          <dd class="note">deadline {day(progress.petition.deadline)}</dd>
        </div>
        <div>
          <dt>Needed per day</dt>
          <dd>{neededPerDay === null ? '—' : count(neededPerDay)}</dd>
          <dd class="note">to reach 110 % projected</dd>
        </div>
        <div>
          <dt>Last 7 days, per day</dt>
          <dd>{count(Math.round(last7DaysPerDay))}</dd>
          {neededPerDay !== null && (
            <dd class="note">
              <span class={`badge ${onPace ? 'ok' : 'warn'}`}>{onPace ? 'on pace' : 'behind pace'}</span>
            </dd>
          )}
        </div>
      </dl>
      <p class={`band band-${progress.band}`}>{BAND_TEXT[progress.band]}</p>
      {progress.milestones && (
        <p class="muted milestones">
          {(['25', '50', '100'] as const).map((m) => (
            <span key={m}>
              {m} %: {progress.milestones?.[m] ? day(progress.milestones[m] as string) : 'not yet'}
            </span>
          ))}
        </p>
      )}
    </>
  );
}
