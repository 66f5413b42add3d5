import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('petitions', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('slug').notNullable().unique();
    t.text('title').notNullable();
    t.text('summary').notNullable().defaultTo('');
    t.specificType('state', 'char(2)').notNullable();
    t.text('measure_type').notNullable();
    t.integer('signatures_required').notNullable();
    t.date('circulation_start').notNullable();
    t.date('deadline').notNullable();
    t.decimal('assumed_validity_rate', 5, 4).notNullable().defaultTo(0.75);
    t.boolean('public').notNullable().defaultTo(false);
    t.text('status').notNullable().defaultTo('draft');
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `alter table petitions
       add constraint petitions_measure_type_check
         check (measure_type in ('initiative_statute', 'constitutional_amendment', 'referendum')),
       add constraint petitions_status_check
         check (status in ('draft', 'circulating', 'submitted', 'qualified', 'failed')),
       add constraint petitions_required_check check (signatures_required > 0),
       add constraint petitions_rate_check check (assumed_validity_rate > 0 and assumed_validity_rate <= 1),
       add constraint petitions_dates_check check (deadline >= circulation_start)`,
  );

  await knex.schema.createTable('petition_counties', (t) => {
    t.uuid('petition_id').notNullable().references('petitions.id').onDelete('CASCADE');
    t.specificType('fips', 'char(5)').notNullable().references('counties.fips');
    t.integer('target').checkPositive();
    t.primary(['petition_id', 'fips']);
  });

  await knex.schema.createTable('memberships', (t) => {
    t.uuid('petition_id').notNullable().references('petitions.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('role').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['petition_id', 'user_id']);
    t.index(['user_id']);
  });
  await knex.raw(
    `alter table memberships add constraint memberships_role_check
       check (role in ('organizer', 'volunteer', 'viewer'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('memberships');
  await knex.schema.dropTable('petition_counties');
  await knex.schema.dropTable('petitions');
}
