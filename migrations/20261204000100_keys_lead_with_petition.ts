import type { Knex } from 'knex';

/*
 * Every signer-side table keys its rows by petition first, so that the petition can be the
 * distribution column of a sharded PostgreSQL (Citus) without rewriting the schema: a unique key or a
 * foreign key between distributed tables must include it. Verification runs and samples were keyed
 * by their id alone, sample counties did not carry the petition, and filings had a unique id of
 * their own besides (petition, id).
 */
const up_ = [
  'alter table review_items drop constraint review_items_run_id_fkey',
  'alter table verification_runs drop constraint verification_runs_pkey',
  'alter table verification_runs add primary key (petition_id, id)',
  `alter table review_items add constraint review_items_run_fkey foreign key (petition_id, run_id)
     references verification_runs (petition_id, id) on delete cascade`,

  'alter table sample_counties drop constraint sample_counties_sample_id_fkey',
  'alter table sample_signatures drop constraint sample_signatures_sample_id_fkey',
  'alter table samples drop constraint samples_pkey',
  'alter table samples add primary key (petition_id, id)',
  'alter table sample_counties add column petition_id uuid',
  'update sample_counties c set petition_id = s.petition_id from samples s where s.id = c.sample_id',
  'alter table sample_counties alter column petition_id set not null',
  'alter table sample_counties drop constraint sample_counties_pkey',
  'alter table sample_counties add primary key (petition_id, sample_id, county_fips)',
  `alter table sample_counties add constraint sample_counties_sample_fkey foreign key (petition_id, sample_id)
     references samples (petition_id, id) on delete cascade`,
  'alter table sample_signatures drop constraint sample_signatures_pkey',
  'alter table sample_signatures add primary key (petition_id, sample_id, signature_id)',
  `alter table sample_signatures add constraint sample_signatures_sample_fkey foreign key (petition_id, sample_id)
     references samples (petition_id, id) on delete cascade`,

  'alter table section_filings drop constraint section_filings_id_key',
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of up_) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const sql of [
    'alter table section_filings add constraint section_filings_id_key unique (id)',
    'alter table sample_signatures drop constraint sample_signatures_sample_fkey',
    'alter table sample_signatures drop constraint sample_signatures_pkey',
    'alter table sample_signatures add primary key (sample_id, signature_id)',
    'alter table sample_counties drop constraint sample_counties_sample_fkey',
    'alter table sample_counties drop constraint sample_counties_pkey',
    'alter table sample_counties add primary key (sample_id, county_fips)',
    'alter table sample_counties drop column petition_id',
    'alter table samples drop constraint samples_pkey',
    'alter table samples add primary key (id)',
    `alter table sample_counties add constraint sample_counties_sample_id_fkey foreign key (sample_id)
       references samples (id) on delete cascade`,
    `alter table sample_signatures add constraint sample_signatures_sample_id_fkey foreign key (sample_id)
       references samples (id) on delete cascade`,
    'alter table review_items drop constraint review_items_run_fkey',
    'alter table verification_runs drop constraint verification_runs_pkey',
    'alter table verification_runs add primary key (id)',
    `alter table review_items add constraint review_items_run_id_fkey foreign key (run_id)
       references verification_runs (id) on delete cascade`,
  ])
    await knex.raw(sql);
}
