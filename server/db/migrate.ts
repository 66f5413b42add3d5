import type { Knex } from 'knex';
import { migrationSource } from '../../migrations';

const config: Knex.MigratorConfig = { migrationSource };

export async function migrateLatest(knex: Knex): Promise<void> {
  await knex.migrate.latest(config);
}

export async function pendingMigrations(knex: Knex): Promise<number> {
  const [, pending] = (await knex.migrate.list(config)) as [unknown[], unknown[]];
  return pending.length;
}
