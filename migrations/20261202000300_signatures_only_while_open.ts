import type { Knex } from 'knex';

/*
 * A petition takes signers only while it circulates and was never purged. The app checks this first
 * (from a cache); the database has the last word, so that a signer cannot slip in while another
 * process stops or purges the petition. The app answers the error code (PC409) with 409.
 */

const statements = [
  `create function signatures_petition_open() returns trigger language plpgsql as $$
   begin
     if exists (select 1 from petitions p
                 where p.id in (select distinct petition_id from new_rows)
                   and (p.status <> 'circulating' or p.purged_at is not null)) then
       raise exception 'the petition takes no signers' using errcode = 'PC409';
     end if;
     return null;
   end $$`,
  `create trigger signatures_petition_open after insert on signatures
     referencing new table as new_rows for each statement execute function signatures_petition_open()`,
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of statements) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger signatures_petition_open on signatures');
  await knex.raw('drop function signatures_petition_open()');
}
