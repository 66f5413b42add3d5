import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('signatures', (t) => {
    // The petition is implied by the (petition, county) key below; one foreign key check per row, not two.
    t.uuid('petition_id').notNullable();
    t.uuid('id').notNullable().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('idempotency_key').notNullable();
    t.text('request_hash').notNullable();
    t.uuid('circulator_id').notNullable().references('users.id');
    t.text('first_name');
    t.text('last_name');
    t.text('address_line1');
    t.text('address_line2');
    t.text('city');
    t.text('zip');
    t.specificType('county_fips', 'char(5)').notNullable();
    t.date('date_of_birth');
    t.text('email');
    t.text('phone');
    t.timestamp('signed_at', { useTz: true }).notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.text('reason');
    t.uuid('duplicate_of');
    t.text('match_key');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['petition_id', 'id']);
    t.unique(['petition_id', 'idempotency_key']);
    t.foreign(['petition_id', 'county_fips'])
      .references(['petition_id', 'fips'])
      .inTable('petition_counties')
      .onDelete('CASCADE');
  });
  await knex.raw(
    `alter table signatures
       add constraint signatures_status_check
         check (status in ('pending', 'valid', 'invalid', 'duplicate')),
       add constraint signatures_reason_check
         check (reason is null or reason in ('not_registered', 'wrong_county', 'incomplete',
                                             'signature_mismatch', 'withdrawn', 'other'))`,
  );
  // The first signer of a person in a petition; later ones are stored as duplicates of it.
  await knex.raw(
    `create unique index signatures_first_signer_key on signatures (petition_id, match_key)
       where duplicate_of is null and match_key is not null`,
  );
  await knex.raw('create index signatures_newest on signatures (petition_id, created_at desc, id desc)');
  await knex.raw(
    `create index signatures_by_circulator
       on signatures (petition_id, circulator_id, created_at desc, id desc)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('signatures');
}
