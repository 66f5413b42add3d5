import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import type { Config } from './config';
import { closeContext, createContext, type AppContext } from './context';
import { syncCounties } from './counties/sync';
import { openDatabase, type Database } from './db';
import { migrateLatest } from './db/migrate';
import { answerClientErrors } from './http/client-errors';
import { seedDemo, type DemoLogin } from './demo/seed';
import { createLogger, type Logger } from './log';
import { scheduleRollup } from './tallies/rollup';
import { ensureUser } from './users/repo';

export interface Running {
  ctx: AppContext;
  server: Server;
  url: string;
  demoLogins: DemoLogin[] | undefined;
  stop(): Promise<void>;
}

/** Opens the database, brings its schema and reference data up to date. */
export async function prepareDatabase(config: Config): Promise<Database> {
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    readUrl: config.databaseReadUrl,
    listenUrl: config.databaseListenUrl,
    dataDir: config.dataDir,
    poolMax: config.dbPoolMax,
  });
  try {
    await migrateLatest(db.knex);
    await syncCounties(db.knex);
    return db;
  } catch (err) {
    await db.close();
    throw err;
  }
}

const GRACE_MS = 10_000;

/** The admin account and the demo data the configuration asks for (once, before serving). */
async function setUpData(ctx: AppContext, config: Config, log: Logger): Promise<DemoLogin[] | undefined> {
  if (config.admin) {
    const { created } = await ensureUser(ctx.knex, { ...config.admin, name: 'Administrator', isAdmin: true });
    if (created) log.info({ email: config.admin.email }, 'created the admin account');
  }
  return config.demo ? seedDemo(ctx) : undefined;
}

/** What the primary of several workers does before forking them: migrate, the admin, the demo. */
export async function prepareData(config: Config, log: Logger): Promise<DemoLogin[] | undefined> {
  const db = await prepareDatabase(config);
  const ctx = await createContext(config, db, log);
  try {
    return await setUpData(ctx, config, log);
  } finally {
    await closeContext(ctx);
    await db.close();
  }
}

/**
 * Everything `npm start` does: migrate, seed if asked, serve, and the background jobs. A worker whose
 * primary prepared the data (`prepared`) skips the admin account and the demo.
 */
export async function startServer(
  config: Config,
  log: Logger = createLogger(config.logLevel),
  opts: { prepared?: boolean } = {},
): Promise<Running> {
  const db = await prepareDatabase(config);
  const ctx = await createContext(config, db, log);
  const demoLogins = opts.prepared ? undefined : await setUpData(ctx, config, log);

  const stopRollup = scheduleRollup(ctx.knex, db.kind === 'pglite' ? 2_000 : 1_000, (err) =>
    log.error({ err }, 'tally rollup failed'),
  );
  const sessionSweep = setInterval(() => {
    ctx
      .knex('sessions')
      .where('expired', '<', new Date())
      .delete()
      .catch(() => undefined);
  }, 10 * 60_000);
  sessionSweep.unref();

  const state = { shuttingDown: false };
  const app = createApp(ctx, state);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  answerClientErrors(server);
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      state.shuttingDown = true;
      clearInterval(sessionSweep);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Ends open progress streams (so the server can close) and waits for jobs and the last notifications.
      const contextClosed = closeContext(ctx).catch((err: unknown) => log.error({ err }, 'closing failed'));
      // Kept-alive connections close as soon as their answer is out (their answers say Connection: close),
      // so that a busy client cannot keep the server open until the grace runs out.
      server.closeIdleConnections();
      const drain = setInterval(() => server.closeIdleConnections(), 50);
      const force = setTimeout(() => server.closeAllConnections(), GRACE_MS);
      await closed;
      clearInterval(drain);
      clearTimeout(force);
      await contextClosed;
      await stopRollup();
      await db.close();
    })());
  return { ctx, server, url, demoLogins, stop };
}
