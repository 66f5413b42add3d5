import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../shared/api';
import { count, day, percent } from '../shared/format';
import type { Sample, SampleList } from '../shared/types';
import { BAND_TEXT } from './bands';
import { Downloads } from './Downloads';

const REFRESH_MS = 10_000;

/**
 * The latest random sample's projection (for those allowed to read samples), refreshed while
 * counts change, since reviewers check sampled signers one by one.
 */
export function SamplePanel(props: { petitionId: string; asOf: string }) {
  const [sample, setSample] = useState<Sample | null>(null);
  const loadedAt = useRef(0);

  useEffect(() => {
    if (Date.now() - loadedAt.current < REFRESH_MS) return;
    loadedAt.current = Date.now();
    const base = `/api/petitions/${props.petitionId}/samples`;
    api<SampleList>('GET', base)
      .then(({ items }) => (items[0] ? api<Sample>('GET', `${base}/${items[0].id}`) : null))
      .then(setSample, () => setSample(null));
  }, [props.petitionId, props.asOf]);

  if (!sample) return null;
  const t = sample.totals;
  return (
    <section class="card" aria-labelledby="sample-title">
      <h2 id="sample-title">Random sample projection</h2>
      <p class="muted">
        Drawn {day(sample.createdAt.slice(0, 10))} (seed “{sample.seed}”);{' '}
        {sample.complete
          ? 'every sampled signer is checked.'
          : `${count(t.checked)} of ${count(t.sampleSize)} sampled signers checked so far.`}
      </p>
      <dl class="stats">
        <div>
          <dt>Projected valid</dt>
          <dd>{count(t.projectedValid)}</dd>
        </div>
        <div>
          <dt>Of the requirement</dt>
          <dd>{percent(t.projectedPercentOfRequired)}</dd>
        </div>
        <div>
          <dt>Sample valid / checked</dt>
          <dd>
            {count(t.valid)} / {count(t.checked)}
          </dd>
        </div>
        <div>
          <dt>Duplicates in sample</dt>
          <dd>{count(t.duplicates)}</dd>
        </div>
      </dl>
      <p class={`band band-${sample.band}`}>{BAND_TEXT[sample.band]}</p>
      <Downloads path={`/api/petitions/${props.petitionId}/samples/${sample.id}`} what="sample" />
    </section>
  );
}
