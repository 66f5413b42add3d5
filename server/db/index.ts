import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import pg from 'pg';
import { acquireDirLock } from './dir-lock';

export type Db = Knex;

export interface Database {
  /** The primary: every write, and every read that must see the caller's own writes. */
  knex: Knex;
  /** A streaming replica for the heavy reads (DATABASE_READ_URL), or the primary again. */
  replica: Knex | undefined;
  kind: 'postgres' | 'pglite';
  /** Present for a real server: what COPY streams connect to (the primary, perhaps through a pooler). */
  url: string | undefined;
  /** What the LISTEN connection connects to: the primary directly, never through a pooler. */
  listenUrl: string | undefined;
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
  readUrl?: string;
  listenUrl?: string;
  dataDir: string;
  poolMax?: number;
}

function serverKnex(url: string, poolMax: number): Knex {
  return knexFactory({
    client: 'pg',
    connection: url,
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: 10_000,
    // Failures surface as errors where they happen; knex's own console lines would only repeat them.
    log: {
      warn: () => undefined,
      error: () => undefined,
      deprecate: () => undefined,
      debug: () => undefined,
    },
  });
}

export async function openDatabase(opts: DbOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const knex = serverKnex(opts.databaseUrl, opts.poolMax ?? 20);
    const replica = opts.readUrl ? serverKnex(opts.readUrl, opts.poolMax ?? 20) : undefined;
    try {
      await knex.raw('select 1');
      await replica?.raw('select 1');
    } catch (err) {
      await Promise.all([knex.destroy(), replica?.destroy()]);
      throw err;
    }
    return {
      knex,
      replica,
      kind: 'postgres',
      url: opts.databaseUrl,
      listenUrl: opts.listenUrl ?? opts.databaseUrl,
      close: async () => {
        await Promise.all([knex.destroy(), replica?.destroy()]);
      },
    };
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
      replica: undefined,
      kind: 'pglite',
      url: undefined,
      listenUrl: undefined,
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
