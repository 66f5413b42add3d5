import type { Knex } from 'knex';

const statements = [
  `create table verification_runs (
     id uuid primary key default gen_random_uuid(),
     petition_id uuid not null references petitions (id) on delete cascade,
     status text not null default 'running',
     checked integer not null default 0,
     valid integer not null default 0,
     not_registered integer not null default 0,
     wrong_county integer not null default 0,
     needs_review integer not null default 0,
     error text,
     created_by uuid references users (id) on delete set null,
     started_at timestamptz not null default now(),
     heartbeat_at timestamptz not null default now(),
     finished_at timestamptz,
     constraint verification_runs_status_check check (status in ('running', 'done', 'failed'))
   )`,
  'create index verification_runs_petition on verification_runs (petition_id, started_at desc)',
  // One run at a time per petition.
  `create unique index verification_runs_one_running on verification_runs (petition_id) where status = 'running'`,
  // Pending signers a person must decide, from the run that found them; gone once decided.
  `create table review_items (
     petition_id uuid not null,
     signature_id uuid not null,
     run_id uuid not null references verification_runs (id) on delete cascade,
     reason text not null,
     created_at timestamptz not null default now(),
     primary key (petition_id, signature_id),
     foreign key (petition_id, signature_id) references signatures (petition_id, id) on delete cascade
   )`,
  `create table samples (
     id uuid primary key default gen_random_uuid(),
     petition_id uuid not null references petitions (id) on delete cascade,
     seed text not null,
     created_by uuid references users (id) on delete set null,
     created_at timestamptz not null default now()
   )`,
  `create table sample_counties (
     sample_id uuid not null references samples (id) on delete cascade,
     county_fips char(5) not null,
     raw integer not null,
     sample_size integer not null,
     primary key (sample_id, county_fips)
   )`,
  `create table sample_signatures (
     sample_id uuid not null references samples (id) on delete cascade,
     petition_id uuid not null,
     signature_id uuid not null,
     county_fips char(5) not null,
     primary key (sample_id, signature_id)
   )`,
  'alter table petitions add column distribution jsonb',
  'alter table petitions add column purged_at timestamptz',
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of statements) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table petitions drop column purged_at');
  await knex.raw('alter table petitions drop column distribution');
  for (const t of ['sample_signatures', 'sample_counties', 'samples', 'review_items', 'verification_runs']) {
    await knex.raw(`drop table ${t}`);
  }
}
