import type { Knex } from 'knex';

/*
 * Removing a county from a petition must never delete the signers recorded there: the key from
 * signatures to petition_counties no longer cascades, so the removal fails (and is answered 409) while
 * any signer, committed or just being inserted, refers to the county.
 */
const FK = 'signatures_petition_id_county_fips_foreign';

async function replaceKey(knex: Knex, onDelete: string): Promise<void> {
  await knex.raw(`alter table signatures drop constraint ${FK}`);
  await knex.raw(`alter table signatures add constraint ${FK} foreign key (petition_id, county_fips)
                    references petition_counties (petition_id, fips) ${onDelete} not valid`);
  await knex.raw(`alter table signatures validate constraint ${FK}`);
}

export async function up(knex: Knex): Promise<void> {
  await replaceKey(knex, 'on delete no action');
}

export async function down(knex: Knex): Promise<void> {
  await replaceKey(knex, 'on delete cascade');
}
