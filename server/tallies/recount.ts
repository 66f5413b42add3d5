import type { Knex } from 'knex';

export interface Drift {
  petitionId: string;
  what: string;
  expected: number;
  kept: number;
}

export interface RecountReport {
  petitions: number;
  signers: number;
  drift: Drift[];
  fixed: boolean;
}

const EXPECTED_COUNTIES = `
  select petition_id, county_fips as key, status, count(*)::int as n
    from signatures group by 1, 2, 3`;
const KEPT_COUNTIES = `
  select petition_id, county_fips as key, status, sum(n)::int as n
    from (select petition_id, county_fips, status, n from county_tallies
          union all select petition_id, county_fips, status, n from tally_deltas) t
   group by 1, 2, 3`;
const EXPECTED_HOURS = `
  select petition_id, to_char(date_trunc('hour', signed_at, 'UTC') at time zone 'UTC', 'YYYY-MM-DD"T"HH24') as key,
         null as status, count(*)::int as n
    from signatures group by 1, 2`;
const KEPT_HOURS = `
  select petition_id, to_char(hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24') as key, null as status, sum(n)::int as n
    from (select petition_id, hour, n from hourly_tallies
          union all select petition_id, signed_hour, n from tally_deltas) t
   group by 1, 2`;

// Seconds are kept for the last eight days; those the progress document may read (the last week and
// the hour before it) are checked.
const SECONDS_FROM = `date_trunc('second', now() - interval '7 days 1 hour')`;
const EXPECTED_SECONDS = `
  select petition_id, to_char(date_trunc('second', signed_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as key,
         null as status, count(*)::int as n
    from signatures where date_trunc('second', signed_at) >= ${SECONDS_FROM} group by 1, 2`;
const KEPT_SECONDS = `
  select petition_id, to_char(second at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as key, null as status, sum(n)::int as n
    from (select petition_id, second, n from second_tallies
          union all select petition_id, signed_second, n from tally_deltas where signed_second is not null) t
   where second >= ${SECONDS_FROM}
   group by 1, 2
  having sum(n) <> 0`;

const EXPECTED_SECTIONS = `
  select petition_id, county_fips as key, status, count(*)::int as n, sum(coalesce(lines_counted, 0))::int as lines
    from sections group by 1, 2, 3`;
const KEPT_SECTIONS = `
  select petition_id, county_fips as key, status, sum(n)::int as n, sum(lines)::int as lines
    from (select petition_id, county_fips, status, n, lines from section_tallies
          union all select petition_id, county_fips, status, n, lines from section_deltas) t
   group by 1, 2, 3
  having sum(n) <> 0 or sum(lines) <> 0`;

type Row = { petition_id: string; key: string; status: string | null; n: number; lines?: number };

/** Sections per county and status: how many, and the lines counted on them. */
function compareSections(expected: Row[], kept: Row[]): Drift[] {
  const lines = (rows: Row[]) => rows.map((r) => ({ ...r, status: `${r.status} lines`, n: r.lines ?? 0 }));
  return [
    ...compare(expected, kept, (r) => `sections ${r.key} ${r.status}`),
    ...compare(lines(expected), lines(kept), (r) => `sections ${r.key} ${r.status}`),
  ];
}

function compare(expected: Row[], kept: Row[], label: (r: Row) => string): Drift[] {
  const id = (r: Row) => `${r.petition_id}|${r.key}|${r.status ?? ''}`;
  const want = new Map(expected.map((r) => [id(r), r]));
  const have = new Map(kept.map((r) => [id(r), r]));
  const drift: Drift[] = [];
  for (const k of new Set([...want.keys(), ...have.keys()])) {
    const e = want.get(k)?.n ?? 0;
    const h = have.get(k)?.n ?? 0;
    const row = (want.get(k) ?? have.get(k)) as Row;
    if (e !== h) drift.push({ petitionId: row.petition_id, what: label(row), expected: e, kept: h });
  }
  return drift;
}

/**
 * Recomputes every tally from the signers and compares it with what the triggers kept, in one snapshot
 * (so it is exact while intake goes on). With `fix`, rebuilds the tallies from the signers, holding off
 * writers for the moment it takes.
 */
export async function recount(knex: Knex, opts: { fix?: boolean } = {}): Promise<RecountReport> {
  return knex.transaction(
    async (trx) => {
      if (opts.fix) await trx.raw('lock table signatures, sections in share mode');
      const q = async (sql: string) => (await trx.raw<{ rows: Row[] }>(sql)).rows;
      const drift = [
        ...compare(await q(EXPECTED_COUNTIES), await q(KEPT_COUNTIES), (r) => `county ${r.key} ${r.status}`),
        ...compare(await q(EXPECTED_HOURS), await q(KEPT_HOURS), (r) => `hour ${r.key}`),
        ...compare(await q(EXPECTED_SECONDS), await q(KEPT_SECONDS), (r) => `second ${r.key}`),
        ...compareSections(await q(EXPECTED_SECTIONS), await q(KEPT_SECTIONS)),
      ];
      const [{ petitions, signers }] = (
        await trx.raw<{ rows: { petitions: number; signers: number }[] }>(
          'select (select count(*) from petitions)::int as petitions, (select count(*) from signatures)::int as signers',
        )
      ).rows as [{ petitions: number; signers: number }];
      if (opts.fix && drift.length) {
        await trx.raw('delete from tally_deltas');
        await trx.raw('delete from county_tallies');
        await trx.raw('delete from hourly_tallies');
        await trx.raw('delete from second_tallies');
        await trx.raw('delete from section_deltas');
        await trx.raw('delete from section_tallies');
        await trx.raw(
          `insert into section_tallies (petition_id, county_fips, status, n, lines) ${EXPECTED_SECTIONS}`,
        );
        await trx.raw(
          `insert into county_tallies (petition_id, county_fips, status, n) ${EXPECTED_COUNTIES}`,
        );
        await trx.raw(
          `insert into hourly_tallies (petition_id, hour, n)
           select petition_id, date_trunc('hour', signed_at, 'UTC'), count(*) from signatures group by 1, 2`,
        );
        await trx.raw(
          `insert into second_tallies (petition_id, second, n)
           select petition_id, date_trunc('second', signed_at), count(*) from signatures
            where signed_at >= now() - interval '8 days' group by 1, 2`,
        );
      }
      return { petitions, signers, drift, fixed: Boolean(opts.fix && drift.length) };
    },
    { isolationLevel: 'repeatable read' },
  );
}
