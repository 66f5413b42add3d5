import type { CountyProgress } from '../shared/types';

/** Light to dark; the first is for counties with nothing yet. */
export const SHADES = ['#f3f4f6', '#dbeafe', '#93c5fd', '#3b82f6', '#1d4ed8', '#1e3a8a'];

export interface Shading {
  title: string;
  /** Upper bounds of the shades after the first, in the measure's unit (percent). */
  steps: number[];
  value: (c: CountyProgress) => number | null;
  describe: (c: CountyProgress) => string;
}

/**
 * With county targets the map shows each county's share of its target; otherwise each county's share
 * of all signers collected.
 */
export function shadingFor(counties: CountyProgress[], totalRaw: number): Shading {
  if (counties.some((c) => c.target)) {
    return {
      title: 'Share of county target',
      steps: [25, 50, 75, 100],
      value: (c) => (c.target ? (100 * c.raw) / c.target : null),
      describe: (c) => (c.target ? `${Math.round((100 * c.raw) / c.target)} % of target` : 'no target'),
    };
  }
  return {
    title: 'Share of all signers',
    steps: [1, 2.5, 5, 10],
    value: (c) => (totalRaw ? (100 * c.raw) / totalRaw : 0),
    describe: (c) => `${totalRaw ? ((100 * c.raw) / totalRaw).toFixed(1) : '0.0'} % of all signers`,
  };
}

/** The shade of a value: none for zero or no value, then one per step, the last for above them all. */
export function shadeOf(value: number | null, steps: number[]): string {
  if (value === null || value <= 0) return SHADES[0] as string;
  const i = steps.findIndex((s) => value < s);
  return SHADES[i === -1 ? steps.length + 1 : i + 1] as string;
}

export function legendOf(steps: number[]): { color: string; label: string }[] {
  const rows = [{ color: SHADES[0] as string, label: 'none' }];
  steps.forEach((s, i) => rows.push({ color: SHADES[i + 1] as string, label: `under ${s} %` }));
  rows.push({ color: SHADES[steps.length + 1] as string, label: `${steps.at(-1)} % or more` });
  return rows;
}
