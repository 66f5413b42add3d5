import type { Knex } from 'knex';

/*
 * Raw signers per second of signing, kept for the last eight days, so that "the last 7 × 24 hours"
 * of the progress document is exact at both ends of the window (hours in between come from
 * hourly_tallies): the tally deltas carry the signing second of recent signers, the rollup folds them
 * into second_tallies and drops seconds older than eight days. Filled from the signers on migration.
 */
const RECENT = `case when signed_at >= now() - interval '8 days' then date_trunc('second', signed_at) end`;

/** The tally triggers of 20261121000500, with or without the signing second. */
function triggers(withSecond: boolean): string[] {
  const column = withSecond ? ', signed_second' : '';
  const second = withSecond ? `, ${RECENT}` : '';
  const groups = withSecond ? '1, 2, 3, 4, 5' : '1, 2, 3, 4';
  return [
    `create or replace function signatures_tally_insert() returns trigger language plpgsql as $$
     begin
       insert into tally_deltas (petition_id, county_fips, status, signed_hour${column}, n)
       select petition_id, county_fips, status, date_trunc('hour', signed_at, 'UTC')${second}, count(*)::int
         from new_rows group by ${groups};
       return null;
     end $$`,
    `create or replace function signatures_tally_update() returns trigger language plpgsql as $$
     begin
       insert into tally_deltas (petition_id, county_fips, status, signed_hour${column}, n)
       select petition_id, county_fips, status, signed_hour${column}, sum(n)::int
         from (select petition_id, county_fips, status, date_trunc('hour', signed_at, 'UTC') as signed_hour
                      ${withSecond ? `, ${RECENT} as signed_second` : ''}, -1 as n
                 from old_rows
               union all
               select petition_id, county_fips, status, date_trunc('hour', signed_at, 'UTC')${second}, 1
                 from new_rows) d
        group by ${groups}
       having sum(n) <> 0;
       return null;
     end $$`,
    `create or replace function signatures_tally_delete() returns trigger language plpgsql as $$
     begin
       insert into tally_deltas (petition_id, county_fips, status, signed_hour${column}, n)
       select petition_id, county_fips, status, date_trunc('hour', signed_at, 'UTC')${second}, -count(*)::int
         from old_rows group by ${groups};
       return null;
     end $$`,
  ];
}

export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table tally_deltas add column signed_second timestamptz');
  await knex.raw(`create table second_tallies (
                    petition_id uuid not null references petitions (id) on delete cascade,
                    second timestamptz not null,
                    n integer not null,
                    primary key (petition_id, second))`);
  for (const sql of triggers(true)) await knex.raw(sql);
  await knex.raw(`insert into second_tallies (petition_id, second, n)
                  select petition_id, date_trunc('second', signed_at), count(*) from signatures
                   where signed_at >= now() - interval '8 days' group by 1, 2`);
}

export async function down(knex: Knex): Promise<void> {
  for (const sql of triggers(false)) await knex.raw(sql);
  await knex.raw('drop table second_tallies');
  await knex.raw('alter table tally_deltas drop column signed_second');
}
