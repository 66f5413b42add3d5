/*
 * npm run api-document -- FILE
 *
 * Writes the OpenAPI document the server serves at /api/openapi.json to FILE, without a database:
 * the real app is built and asked for it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import knexFactory from 'knex';
import pino from 'pino';
import { createApp } from '../server/app';
import { loadConfig } from '../server/config';
import { closeContext, createContext } from '../server/context';
import type { Database } from '../server/db';

const quiet = () => undefined;

/**
 * The document the app serves. Its routes describe themselves as they are mounted, whatever the
 * database holds, so the app is built on a handle that refuses every query (a fresh embedded database
 * costs seconds to start); the session store's start-up check, the only query made, fails quietly.
 */
export async function serverDocument(): Promise<object> {
  const config = loadConfig({ NODE_ENV: 'test', DEMO: '0', LOG_LEVEL: 'silent' });
  const knex = knexFactory({
    client: 'pg',
    connection: () => {
      throw new Error('building the API document needs no database');
    },
    log: { warn: quiet, error: quiet, deprecate: quiet, debug: quiet },
  });
  const db: Database = {
    knex,
    replica: undefined,
    kind: 'pglite',
    url: undefined,
    listenUrl: undefined,
    close: () => knex.destroy(),
  };
  const ctx = await createContext(config, db, pino({ level: 'silent' }));
  try {
    const server = createApp(ctx).listen(0, '127.0.0.1');
    try {
      await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/api/openapi.json`);
      if (!res.ok) throw new Error(`/api/openapi.json answered ${res.status}`);
      return (await res.json()) as object;
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  } finally {
    await closeContext(ctx);
    await db.close();
  }
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error('name the file to write the document to');
  serverDocument()
    .then((doc) => {
      mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
