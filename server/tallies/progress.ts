import { SECTION_STATUSES, type SectionStatus } from '../sections/schemas';
import type { StatusCounts, TallySnapshot } from './store';
import { emptyCounts, floorHour, lastWeek } from './store';

/*
 * The progress document (API.md, "Progress document"): pure arithmetic on tallies, no I/O. Rates are
 * kept as integer fractions so floors and ceilings are exact.
 */

export interface ProgressPetition {
  id: string;
  slug: string;
  title: string;
  signaturesRequired: number;
  deadline: string;
  assumedValidityRate: number;
  counties: { fips: string; name: string; target: number | null }[];
  distribution?: DistributionRule | null;
}

export type DistributionRule =
  { kind: 'min_counties_meeting_target'; count: number } | { kind: 'max_share_per_county'; percent: number };

export interface DistributionStatus {
  kind: DistributionRule['kind'];
  met: boolean;
  countiesMeetingTarget?: number;
  largestSharePercent?: number;
}

const MILESTONES = [25, 50, 100] as const;

export type Band = 'above_110' | 'full_count_95_110' | 'below_95';

export interface CountyProgress extends StatusCounts {
  fips: string;
  name: string;
  raw: number;
  validityRate: number | null;
  projectedValid: number;
  target: number | null;
  /** Sections of the county still out with their circulators; lines on its counted and filed ones. */
  sectionsOut: number;
  linesCounted: number;
  linesFiled: number;
}

export type SectionCounts = Record<SectionStatus, number> & {
  outstanding: number;
  linesCounted: number;
  linesFiled: number;
};

export interface ProgressDocument {
  petition: { id: string; slug: string; title: string; signaturesRequired: number; deadline: string };
  asOf: string;
  totals: StatusCounts & {
    raw: number;
    validityRate: number | null;
    projectedValid: number;
    percentOfRequired: number;
    projectedPercentOfRequired: number;
  };
  band: Band;
  pace: { daysLeft: number; neededPerDay: number | null; last7DaysPerDay: number };
  counties: CountyProgress[];
  daily: { date: string; raw: number }[];
  sections: SectionCounts;
  distribution?: DistributionStatus;
  milestones: Record<'25' | '50' | '100', string | null>;
}

/** Whether the petition meets its geographic rule, judged on projected valid signers. */
export function distributionStatus(rule: DistributionRule, counties: CountyProgress[]): DistributionStatus {
  if (rule.kind === 'min_counties_meeting_target') {
    const meeting = counties.filter((c) => c.target !== null && c.projectedValid >= c.target).length;
    return { kind: rule.kind, met: meeting >= rule.count, countiesMeetingTarget: meeting };
  }
  const total = counties.reduce((s, c) => s + c.projectedValid, 0);
  const largest = counties.reduce((m, c) => Math.max(m, c.projectedValid), 0);
  const share = total ? (100 * largest) / total : 0;
  return { kind: rule.kind, met: total > 0 && share <= rule.percent, largestSharePercent: share };
}

/** The day raw signers first reached 25, 50 and 100 % of the requirement. */
export function milestones(
  daily: { date: string; raw: number }[],
  required: number,
): ProgressDocument['milestones'] {
  const out: ProgressDocument['milestones'] = { '25': null, '50': null, '100': null };
  let sum = 0;
  for (const day of daily) {
    sum += day.raw;
    for (const m of MILESTONES) if (out[m] === null && sum * 100 >= m * required) out[m] = day.date;
  }
  return out;
}

/** A rate as numerator / denominator (both whole numbers). */
interface Fraction {
  num: number;
  den: number;
}

export const MIN_CHECKED = 30;
const DAY_MS = 86_400_000;

function observedRate(c: StatusCounts): Fraction | null {
  const checked = c.valid + c.invalid;
  return checked ? { num: c.valid, den: checked } : null;
}

function assumedRate(rate: number): Fraction {
  return { num: Math.round(rate * 10_000), den: 10_000 };
}

export function bandOf(projectedPercent: number): Band {
  if (projectedPercent >= 110) return 'above_110';
  if (projectedPercent >= 95) return 'full_count_95_110';
  return 'below_95';
}

export function daysLeft(deadline: string, now: Date): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.max(0, Math.round((Date.parse(`${deadline}T00:00:00Z`) - today) / DAY_MS));
}

/** ceil(max(0, 1.10 × required − projected) / r / max(days, 1)), exactly; null when r is 0. */
export function neededPerDay(required: number, projected: number, r: Fraction, days: number): number | null {
  if (r.num === 0) return null;
  const shortfallTenths = Math.max(0, 11 * required - 10 * projected);
  const numerator = shortfallTenths * r.den;
  const denominator = 10 * r.num * Math.max(days, 1);
  return Math.ceil(numerator / denominator);
}

function dailyFromHourly(hourly: TallySnapshot['hourly']): ProgressDocument['daily'] {
  const byDate = new Map<string, number>();
  for (const { hour, n } of hourly) byDate.set(hour.slice(0, 10), (byDate.get(hour.slice(0, 10)) ?? 0) + n);
  const dates = [...byDate.keys()].sort();
  const first = dates[0];
  const last = dates[dates.length - 1];
  if (!first || !last) return [];
  const daily: ProgressDocument['daily'] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += DAY_MS) {
    const date = new Date(t).toISOString().slice(0, 10);
    daily.push({ date, raw: byDate.get(date) ?? 0 });
  }
  return daily;
}

const parseHour = (hour: string) => Date.parse(`${hour}:00:00Z`);
const parseSecond = (second: string) => Date.parse(`${second}Z`);

/**
 * Raw signers whose signing time falls in the last 7 × 24 hours up to `now` (in whole seconds), per day:
 * whole hours inside the window from the hourly tallies, the two partial hours at its ends second by
 * second.
 */
function last7DaysPerDay(tallies: TallySnapshot, now: Date): number {
  const { start, end } = lastWeek(now);
  const firstFull = floorHour(start) + 3_600_000;
  const lastHour = floorHour(end);
  let sum = 0;
  for (const { hour, n } of tallies.hourly) {
    const t = parseHour(hour);
    if (t >= firstFull && t < lastHour) sum += n;
  }
  for (const { second, n } of tallies.seconds) {
    const t = parseSecond(second);
    if ((t >= start && t < firstFull) || (t >= lastHour && t < end)) sum += n;
  }
  return sum / 7;
}

/** Sections by status, lines counted (on counted and filed sections) and filed, in all and per county. */
function sectionCounts(tallies: TallySnapshot) {
  const all = Object.fromEntries(SECTION_STATUSES.map((s) => [s, 0])) as SectionCounts;
  Object.assign(all, { outstanding: 0, linesCounted: 0, linesFiled: 0 });
  const byCounty = new Map<string, { sectionsOut: number; linesCounted: number; linesFiled: number }>();
  for (const { county, status, n, lines } of tallies.sections) {
    all[status] += n;
    const c = byCounty.get(county) ?? { sectionsOut: 0, linesCounted: 0, linesFiled: 0 };
    if (status === 'issued') c.sectionsOut += n;
    if (status === 'counted' || status === 'filed') c.linesCounted += lines;
    if (status === 'filed') c.linesFiled += lines;
    byCounty.set(county, c);
  }
  all.outstanding = all.issued;
  for (const c of byCounty.values()) {
    all.linesCounted += c.linesCounted;
    all.linesFiled += c.linesFiled;
  }
  return { all, byCounty };
}

export function buildProgress(
  petition: ProgressPetition,
  tallies: TallySnapshot,
  now: Date,
): ProgressDocument {
  const all = emptyCounts();
  for (const c of petition.counties) {
    const counts = tallies.counties.get(c.fips) ?? emptyCounts();
    for (const k of Object.keys(all) as (keyof StatusCounts)[]) all[k] += counts[k];
  }
  const petitionRate = observedRate(all);
  const fallback =
    petitionRate && petitionRate.den >= MIN_CHECKED
      ? petitionRate
      : assumedRate(petition.assumedValidityRate);

  const sections = sectionCounts(tallies);
  const counties = petition.counties.map((c): CountyProgress => {
    const counts = tallies.counties.get(c.fips) ?? emptyCounts();
    const own = observedRate(counts);
    const r = own && own.den >= MIN_CHECKED ? own : fallback;
    return {
      fips: c.fips,
      name: c.name,
      raw: counts.pending + counts.valid + counts.invalid + counts.duplicate,
      ...counts,
      validityRate: own ? own.num / own.den : null,
      projectedValid: counts.valid + Math.floor((counts.pending * r.num) / r.den),
      target: c.target,
      sectionsOut: sections.byCounty.get(c.fips)?.sectionsOut ?? 0,
      linesCounted: sections.byCounty.get(c.fips)?.linesCounted ?? 0,
      linesFiled: sections.byCounty.get(c.fips)?.linesFiled ?? 0,
    };
  });

  const raw = counties.reduce((s, c) => s + c.raw, 0);
  const projectedValid = counties.reduce((s, c) => s + c.projectedValid, 0);
  const required = petition.signaturesRequired;
  const projectedPercentOfRequired = (100 * projectedValid) / required;
  const left = daysLeft(petition.deadline, now);
  const daily = dailyFromHourly(tallies.hourly);

  return {
    petition: {
      id: petition.id,
      slug: petition.slug,
      title: petition.title,
      signaturesRequired: required,
      deadline: petition.deadline,
    },
    asOf: now.toISOString(),
    totals: {
      raw,
      ...all,
      validityRate: petitionRate ? petitionRate.num / petitionRate.den : null,
      projectedValid,
      percentOfRequired: (100 * raw) / required,
      projectedPercentOfRequired,
    },
    band: bandOf(projectedPercentOfRequired),
    pace: {
      daysLeft: left,
      neededPerDay: neededPerDay(required, projectedValid, fallback, left),
      last7DaysPerDay: last7DaysPerDay(tallies, now),
    },
    counties,
    daily,
    sections: sections.all,
    ...(petition.distribution ? { distribution: distributionStatus(petition.distribution, counties) } : {}),
    milestones: milestones(daily, required),
  };
}
