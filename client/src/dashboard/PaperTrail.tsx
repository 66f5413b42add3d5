import { count } from '../shared/format';
import type { Progress } from '../shared/types';

/** Whether the petition has paper sections at all (else the dashboard leaves them out). */
export const hasSections = (progress: Progress) => Object.values(progress.sections).some((n) => n > 0);

/**
 * For members: the paper behind the typed signers, statewide: sections still out, lines counted on
 * the sheets handed in and lines filed with the counties, beside the signers entered.
 */
export function PaperTrail({ progress }: { progress: Progress }) {
  const s = progress.sections;
  return (
    <section class="card" aria-labelledby="paper-title">
      <h2 id="paper-title">Paper sections</h2>
      <dl class="stats paper">
        <div>
          <dt>Signers entered</dt>
          <dd>{count(progress.totals.raw)}</dd>
        </div>
        <div>
          <dt>Sections out</dt>
          <dd>{count(s.outstanding)}</dd>
        </div>
        <div>
          <dt>Lines counted</dt>
          <dd>{count(s.linesCounted)}</dd>
          <dd class="note">on sections handed in</dd>
        </div>
        <div>
          <dt>Lines filed</dt>
          <dd>{count(s.linesFiled)}</dd>
          <dd class="note">with the counties</dd>
        </div>
      </dl>
      <p class="muted">
        Sections: {count(s.issued)} issued and out, {count(s.returned)} returned, {count(s.counted)} counted,{' '}
        {count(s.filed)} filed, {count(s.lost)} lost, {count(s.void)} void.
      </p>
    </section>
  );
}
