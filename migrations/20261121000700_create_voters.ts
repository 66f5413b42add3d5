import type { Knex } from 'knex';

/*
 * The voter file, one list partition per state: an import loads a new table beside the live one and
 * swaps it in (detach the old, attach the new) in one short transaction, so readers never see half a
 * file. The keys are the normalized forms signers are matched on (server/signatures/normalize.ts).
 */
const statements = [
  `create table voters (
     state char(2) not null,
     voter_id text not null,
     first_name text,
     middle_name text,
     last_name text not null,
     house_number text,
     street text not null,
     unit text,
     city text,
     zip text,
     county_fips char(5) not null,
     date_of_birth date,
     status text not null,
     match_key text not null,
     address_key text not null,
     name_zip_key text not null
   ) partition by list (state)`,
  // Each state's table is indexed like this before it is swapped in, so attaching it builds nothing.
  'create index voters_match on voters (state, match_key)',
  'create index voters_address on voters (state, address_key)',
  'create index voters_name_zip on voters (state, name_zip_key)',
  `create table voter_imports (
     id uuid primary key default gen_random_uuid(),
     state char(2) not null,
     status text not null default 'running',
     rows_read integer not null default 0,
     rows_loaded integer not null default 0,
     rows_rejected integer not null default 0,
     rejects jsonb not null default '[]'::jsonb,
     error text,
     created_by uuid references users (id) on delete set null,
     started_at timestamptz not null default now(),
     finished_at timestamptz,
     constraint voter_imports_status_check check (status in ('running', 'done', 'failed'))
   )`,
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of statements) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table voter_imports');
  await knex.raw('drop table voters');
}
