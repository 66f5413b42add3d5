import { count, percent } from '../shared/format';
import type { Progress } from '../shared/types';

const MARKS = [
  { at: 0.95, label: '95 %', kind: 'low' },
  { at: 1, label: 'required', kind: 'required' },
  { at: 1.1, label: '110 %', kind: 'high' },
];

/** Past this share of the bar, the collected figure goes inside the fill's end rather than after it. */
const ROOM_AFTER = 80;

/**
 * Raw and projected valid signers on one bar against the requirement, with the lines where the random
 * sample rule changes outcome (95 % and 110 % of the requirement, projected). The collected share is
 * written at the fill's end, so that an early campaign's sliver still reads as progress.
 */
export function ProgressBar({ progress }: { progress: Progress }) {
  const required = progress.petition.signaturesRequired;
  const { raw, projectedValid, percentOfRequired, projectedPercentOfRequired } = progress.totals;
  const scale = Math.max(required * 1.2, raw, 1);
  const share = (n: number) => Math.min(100, (100 * n) / scale);
  const at = (n: number) => `${share(n)}%`;
  const end = share(raw);
  const figure =
    end < ROOM_AFTER ? { left: `calc(${end}% + 0.375rem)` } : { right: `calc(${100 - end}% + 0.375rem)` };
  const summary =
    `${count(raw)} signers collected (${percent(percentOfRequired)} of the ${count(required)} required); ` +
    `${count(projectedValid)} projected valid (${percent(projectedPercentOfRequired)}).`;
  return (
    <figure class="progress-figure">
      <div class="bar" role="img" aria-label={summary}>
        <div class="bar-raw" style={{ width: at(raw) }} />
        <div class="bar-projected" style={{ width: at(projectedValid) }} />
        {MARKS.map((m) => (
          <div key={m.label} class={`bar-mark ${m.kind}`} style={{ left: at(required * m.at) }} />
        ))}
        <span class="bar-figure" style={figure}>
          {percent(percentOfRequired)}
        </span>
      </div>
      <div class="bar-scale" aria-hidden="true">
        {MARKS.map((m) => (
          <span key={m.label} class={m.kind} style={{ left: at(required * m.at) }}>
            {m.label}
          </span>
        ))}
      </div>
      <figcaption class="legend">
        <span>
          <i class="swatch raw" /> Collected <strong>{count(raw)}</strong> ({percent(percentOfRequired)})
        </span>
        <span>
          <i class="swatch projected" /> Projected valid <strong>{count(projectedValid)}</strong> (
          {percent(projectedPercentOfRequired)})
        </span>
        <span>
          <i class="swatch required" /> Required <strong>{count(required)}</strong>
        </span>
      </figcaption>
    </figure>
  );
}
