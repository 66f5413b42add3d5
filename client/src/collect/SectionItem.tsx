import { day } from '../shared/format';
import { STATUS_BADGE } from '../shared/sections';
import type { Section } from '../shared/types';

/** One of the volunteer's sections: its county and status, the lines entered, Return while it is out. */
export function SectionItem(props: {
  section: Section;
  county: string;
  waiting: number;
  busy: boolean;
  onReturn: () => void;
}) {
  const s = props.section;
  return (
    <li>
      <div>
        <strong>Section {s.number}</strong> · {props.county}{' '}
        <span class={`badge ${STATUS_BADGE[s.status]}`}>{s.status}</span>
        <p class="muted">
          {s.linesEntered === 1 ? '1 line' : `${s.linesEntered} lines`} entered
          {props.waiting > 0 && `, ${props.waiting} waiting on this device`} · issued{' '}
          <time dateTime={s.issuedAt}>{day(s.issuedAt.slice(0, 10))}</time>
        </p>
      </div>
      {s.status === 'issued' && (
        <button
          type="button"
          aria-label={`Return section ${s.number}`}
          disabled={props.busy}
          onClick={props.onReturn}
        >
          {props.busy ? 'Returning…' : 'Return'}
        </button>
      )}
    </li>
  );
}
