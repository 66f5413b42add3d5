import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import pg from 'pg';
import { acquireDirLock } from './dir-lock';

export type Db = Knex;

export interface Database {
  knex: Knex;
  kind: 'postgres' | 'pglite';
  /** Present for a real server: what the LISTEN connection and COPY streams connect to. */
  url: string | undefined;
  close(): Promise<void>;
}

// Counts and sums fit in a JS number; dates stay 'YYYY-MM-DD' strings; numerics become numbers.
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
pg.types.setTypeParser(INT8, (v) => Number(v));
pg.types.setTypeParser(NUMERIC, (v) => Number(v));
pg.types.setTypeParser(DATE, (v) => v);

export interface DbOptions {
  databaseUrl?: string;
  dataDir: string;
  poolMax?: number;
}

export async function openDatabase(opts: DbOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const knex = knexFactory({
      client: 'pg',
      connection: opts.databaseUrl,
      pool: { min: 0, max: opts.poolMax ?? 20 },
      acquireConnectionTimeout: 10_000,
      // Failures surface as errors where they happen; knex's own console lines would only repeat them.
      log: {
        warn: () => undefined,
        error: () => undefined,
        deprecate: () => undefined,
        debug: () => undefined,
      },
    });
    await knex.raw('select 1');
    return { knex, kind: 'postgres', url: opts.databaseUrl, close: () => knex.destroy() };
  }

  const dir = path.resolve(opts.dataDir);
  mkdirSync(dir, { recursive: true });
  const releaseLock = acquireDirLock(path.join(dir, 'server.lock'));
  try {
    const pglite = new PGlite(path.join(dir, 'pglite'), {
      parsers: {
        [pgliteTypes.INT8]: (v: string) => Number(v),
        [pgliteTypes.NUMERIC]: (v: string) => Number(v),
        [pgliteTypes.DATE]: (v: string) => v,
      },
    });
    await pglite.waitReady;
    const knex = knexFactory({
      client: ClientPgLite as unknown as typeof knexFactory.Client,
      dialect: 'postgres',
      connection: () => ({ pglite }) as object,
    } as Knex.Config);
    await knex.raw('select 1');
    return {
      knex,
      kind: 'pglite',
      url: undefined,
      close: async () => {
        await knex.destroy();
        if (!pglite.closed) await pglite.close();
        releaseLock();
      },
    };
  } catch (err) {
    releaseLock();
    throw err;
  }
}
