import type { Knex } from 'knex';

/**
 * Waits until a statement on the test database that contains `query` waits on a lock: the request
 * under test has reached the row another transaction of the test holds. PostgreSQL only; the query
 * text seen is its first kilobyte.
 */
export async function waitForLockWait(knex: Knex, query: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const { rows } = await knex.raw<{ rows: unknown[] }>(
      `select 1 from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and query ilike ?`,
      [`%${query}%`],
    );
    if (rows.length) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no statement like "${query}" waited on a lock`);
}
