import type { Knex } from 'knex';

/*
 * Signers are appended; their counts per (petition, county, status) and per signing hour are kept
 * without a hot row: statement-level triggers append aggregated deltas to tally_deltas (inserts only,
 * so concurrent writers never wait on each other), and a rollup job folds them into county_tallies and
 * hourly_tallies. A reader sums the folded tallies and the pending deltas in one statement, so it
 * always sees an exact count whether or not the rollup has run.
 */
const statements = [
  `create table tally_deltas (
     petition_id uuid not null references petitions (id) on delete cascade,
     county_fips char(5) not null,
     status text not null,
     signed_hour timestamptz not null,
     n integer not null
   )`,
  'create index tally_deltas_petition on tally_deltas (petition_id)',
  `create table county_tallies (
     petition_id uuid not null references petitions (id) on delete cascade,
     county_fips char(5) not null,
     status text not null,
     n integer not null,
     primary key (petition_id, county_fips, status)
   )`,
  `create table hourly_tallies (
     petition_id uuid not null references petitions (id) on delete cascade,
     hour timestamptz not null,
     n integer not null,
     primary key (petition_id, hour)
   )`,
  `create function signatures_tally_insert() returns trigger language plpgsql as $$
   begin
     insert into tally_deltas (petition_id, county_fips, status, signed_hour, n)
     select petition_id, county_fips, status, date_trunc('hour', signed_at, 'UTC'), count(*)::int
       from new_rows group by 1, 2, 3, 4;
     return null;
   end $$`,
  `create function signatures_tally_update() returns trigger language plpgsql as $$
   begin
     insert into tally_deltas (petition_id, county_fips, status, signed_hour, n)
     select petition_id, county_fips, status, signed_hour, sum(n)::int
       from (select petition_id, county_fips, status, date_trunc('hour', signed_at, 'UTC') as signed_hour, -1 as n
               from old_rows
             union all
             select petition_id, county_fips, status, date_trunc('hour', signed_at, 'UTC'), 1
               from new_rows) d
      group by 1, 2, 3, 4
     having sum(n) <> 0;
     return null;
   end $$`,
  `create function signatures_tally_delete() returns trigger language plpgsql as $$
   begin
     insert into tally_deltas (petition_id, county_fips, status, signed_hour, n)
     select petition_id, county_fips, status, date_trunc('hour', signed_at, 'UTC'), -count(*)::int
       from old_rows group by 1, 2, 3, 4;
     return null;
   end $$`,
  `create trigger signatures_tally_insert after insert on signatures
     referencing new table as new_rows for each statement execute function signatures_tally_insert()`,
  `create trigger signatures_tally_update after update on signatures
     referencing old table as old_rows new table as new_rows
     for each statement execute function signatures_tally_update()`,
  `create trigger signatures_tally_delete after delete on signatures
     referencing old table as old_rows for each statement execute function signatures_tally_delete()`,
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of statements) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger signatures_tally_delete on signatures');
  await knex.raw('drop trigger signatures_tally_update on signatures');
  await knex.raw('drop trigger signatures_tally_insert on signatures');
  await knex.raw('drop function signatures_tally_delete()');
  await knex.raw('drop function signatures_tally_update()');
  await knex.raw('drop function signatures_tally_insert()');
  await knex.raw('drop table hourly_tallies');
  await knex.raw('drop table county_tallies');
  await knex.raw('drop table tally_deltas');
}
