import type { Knex } from 'knex';
import type { SectionStatus } from '../sections/schemas';

export interface StatusCounts {
  pending: number;
  valid: number;
  invalid: number;
  duplicate: number;
}

export interface TallySnapshot {
  counties: Map<string, StatusCounts>;
  /** Raw signers per UTC hour of signing, 'YYYY-MM-DDTHH' → count, oldest first. */
  hourly: { hour: string; n: number }[];
  /**
   * Raw signers per second of signing ('YYYY-MM-DDTHH:MM:SS'), in the two hours at the ends of the
   * last 7 × 24 hours (the hour it starts in, and the hour of `now` on): with the hours in between they
   * count that window exactly.
   */
  seconds: { second: string; n: number }[];
  /** Paper sections per county and status: how many, and the lines counted on them. */
  sections: { county: string; status: SectionStatus; n: number; lines: number }[];
}

const HOUR_MS = 3_600_000;
export const WEEK_MS = 168 * HOUR_MS;

/**
 * The last 7 × 24 hours up to `now`, in whole seconds: the 604,800 seconds that end with the second
 * `now` falls in, as [start, end) in milliseconds.
 */
export function lastWeek(now: Date): { start: number; end: number } {
  const end = Math.floor(now.getTime() / 1000) * 1000 + 1000;
  return { start: end - WEEK_MS, end };
}

export const floorHour = (t: number) => Math.floor(t / HOUR_MS) * HOUR_MS;

export const emptyCounts = (): StatusCounts => ({ pending: 0, valid: 0, invalid: 0, duplicate: 0 });

/**
 * Reads a petition's exact tallies in one statement (one snapshot): the rolled-up rows plus the deltas
 * not yet rolled up. Its cost grows with counties, hours and the seconds of two hours (and section
 * statuses per county), never with signers or sections.
 */
export async function readTallies(knex: Knex, petitionId: string, now = new Date()): Promise<TallySnapshot> {
  const { start, end } = lastWeek(now);
  const { rows } = await knex.raw<{
    rows: { kind: string; key: string; status: string | null; n: number; lines: number | null }[];
  }>(
    `with deltas as (select county_fips, status, signed_hour, signed_second, n from tally_deltas where petition_id = :id)
     select 'county' as kind, county_fips as key, status, sum(n)::int as n, null::int as lines
       from (select county_fips, status, n from county_tallies where petition_id = :id
             union all select county_fips, status, n from deltas) c
      group by county_fips, status
     union all
     select 'hour', to_char(hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24'), null, sum(n)::int, null
       from (select hour, n from hourly_tallies where petition_id = :id
             union all select signed_hour, n from deltas) h
      group by hour
     having sum(n) <> 0
     union all
     select 'second', to_char(second at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'), null, sum(n)::int, null
       from (select second, n from second_tallies where petition_id = :id
             union all select signed_second, n from deltas where signed_second is not null) s
      where (second >= :startHour and second < :startHour::timestamptz + interval '1 hour') or second >= :endHour
      group by second
     having sum(n) <> 0
     union all
     select 'section', county_fips, status, sum(n)::int, sum(lines)::int
       from (select county_fips, status, n, lines from section_tallies where petition_id = :id
             union all select county_fips, status, n, lines from section_deltas where petition_id = :id) x
      group by county_fips, status
     having sum(n) <> 0`,
    {
      id: petitionId,
      startHour: new Date(floorHour(start)).toISOString(),
      endHour: new Date(floorHour(end)).toISOString(),
    },
  );
  const counties = new Map<string, StatusCounts>();
  const hourly: TallySnapshot['hourly'] = [];
  const seconds: TallySnapshot['seconds'] = [];
  const sections: TallySnapshot['sections'] = [];
  for (const row of rows) {
    if (row.kind === 'section') {
      sections.push({
        county: row.key,
        status: row.status as SectionStatus,
        n: row.n,
        lines: row.lines ?? 0,
      });
      continue;
    }
    if (row.kind === 'hour') {
      hourly.push({ hour: row.key, n: row.n });
      continue;
    }
    if (row.kind === 'second') {
      seconds.push({ second: row.key, n: row.n });
      continue;
    }
    const counts = counties.get(row.key) ?? emptyCounts();
    if (row.status && row.status in counts) counts[row.status as keyof StatusCounts] += row.n;
    counties.set(row.key, counts);
  }
  hourly.sort((a, b) => a.hour.localeCompare(b.hour));
  return { counties, hourly, seconds, sections };
}
