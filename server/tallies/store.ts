import type { Knex } from 'knex';

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
}

export const emptyCounts = (): StatusCounts => ({ pending: 0, valid: 0, invalid: 0, duplicate: 0 });

/**
 * Reads a petition's exact tallies in one statement (one snapshot): the rolled-up rows plus the deltas
 * not yet rolled up. Its cost grows with counties and hours, never with signers.
 */
export async function readTallies(knex: Knex, petitionId: string): Promise<TallySnapshot> {
  const { rows } = await knex.raw<{
    rows: { kind: string; key: string; status: string | null; n: number }[];
  }>(
    `with deltas as (select county_fips, status, signed_hour, n from tally_deltas where petition_id = :id)
     select 'county' as kind, county_fips as key, status, sum(n)::int as n
       from (select county_fips, status, n from county_tallies where petition_id = :id
             union all select county_fips, status, n from deltas) c
      group by county_fips, status
     union all
     select 'hour', to_char(hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24'), null, sum(n)::int
       from (select hour, n from hourly_tallies where petition_id = :id
             union all select signed_hour, n from deltas) h
      group by hour
     having sum(n) <> 0`,
    { id: petitionId },
  );
  const counties = new Map<string, StatusCounts>();
  const hourly: TallySnapshot['hourly'] = [];
  for (const row of rows) {
    if (row.kind === 'hour') {
      hourly.push({ hour: row.key, n: row.n });
      continue;
    }
    const counts = counties.get(row.key) ?? emptyCounts();
    if (row.status && row.status in counts) counts[row.status as keyof StatusCounts] += row.n;
    counties.set(row.key, counts);
  }
  hourly.sort((a, b) => a.hour.localeCompare(b.hour));
  return { counties, hourly };
}
