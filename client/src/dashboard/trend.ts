import type { Progress } from '../shared/types';

type Daily = Progress['daily'];

/** The chart's data: each day in seconds since the epoch, full days' signers, today's so far, the average. */
export type TrendData = [number[], (number | null)[], (number | null)[], (number | null)[]];

/** The day `asOf` falls on, as the server counts days (UTC): its count is still growing. */
export const todayOf = (asOf: string): string => new Date(asOf).toISOString().slice(0, 10);

/** Today's entry when the list ends with it (a day still going on, not a full day). */
export function partialDay(daily: Daily, asOf: string): Daily[number] | null {
  const last = daily.at(-1);
  return last && last.date === todayOf(asOf) ? last : null;
}

/**
 * The days of the chart, today's partial count apart from the full days' (drawn differently), and the
 * trailing 7-day average of full days only, so that the part of today not yet past is no slump.
 */
export function trendSeries(daily: Daily, asOf?: string): TrendData {
  const today = asOf === undefined ? null : partialDay(daily, asOf);
  const x = daily.map((d) => Date.parse(`${d.date}T00:00:00Z`) / 1000);
  const full = daily.map((d) => (d === today ? null : d.raw));
  const partial = daily.map((d) => (d === today ? d.raw : null));
  const counted = today ? daily.slice(0, -1).map((d) => d.raw) : daily.map((d) => d.raw);
  const average: (number | null)[] = counted.map((_, i) => {
    const window = counted.slice(Math.max(0, i - 6), i + 1);
    return Math.round(window.reduce((a, b) => a + b, 0) / window.length);
  });
  if (today) average.push(null);
  return [x, full, partial, average];
}
