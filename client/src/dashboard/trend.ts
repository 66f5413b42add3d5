import type { Progress } from '../shared/types';

/** Seconds since the epoch for each day, the day's signers and their trailing 7-day average. */
export function trendSeries(daily: Progress['daily']): [number[], number[], number[]] {
  const x = daily.map((d) => Date.parse(`${d.date}T00:00:00Z`) / 1000);
  const raw = daily.map((d) => d.raw);
  const average = raw.map((_, i) => {
    const window = raw.slice(Math.max(0, i - 6), i + 1);
    return Math.round(window.reduce((a, b) => a + b, 0) / window.length);
  });
  return [x, raw, average];
}
