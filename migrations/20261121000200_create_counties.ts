import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('counties', (t) => {
    t.specificType('fips', 'char(5)').primary();
    t.specificType('state', 'char(2)').notNullable().index();
    t.specificType('state_fips', 'char(2)').notNullable();
    t.text('name').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('counties');
}
