import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { processTree } from './cpu';

/** The benchmark only ever talks to this machine. */
export function assertLocal(url: string): void {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) {
    throw new Error(`refusing to benchmark a non-local host: ${host}`);
  }
}

async function onAdminDb<T>(baseUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${baseUrl}/postgres` });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(baseUrl: string, name: string): Promise<string> {
  assertLocal(baseUrl);
  await onAdminDb(baseUrl, (c) => c.query(`create database "${name}"`));
  return `${baseUrl}/${name}`;
}

export async function dropDatabase(baseUrl: string, name: string): Promise<void> {
  await onAdminDb(baseUrl, (c) => c.query(`drop database if exists "${name}" with (force)`));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  pid: number;
  admin: { email: string; password: string };
  /** Why the server is no longer running (exit code or signal), or undefined while it runs. */
  gone(): string | undefined;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

export interface ServerOptions {
  /** Extra arguments for node (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Server processes on one port (WEB_CONCURRENCY); 1 by default. */
  workers?: number;
}

/**
 * Starts `server/main.ts` of the checkout at `root` in its own Node process (tsx as a loader, so the pid
 * is the server's own and SIGTERM reaches it directly), logging to `logFile`, and waits until
 * GET /readyz answers 200 (with several workers, until every worker is up).
 */
export async function startServerProcess(
  root: string,
  databaseUrl: string,
  logFile: string,
  opts: ServerOptions = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const admin = { email: 'bench-admin@example.org', password: randomBytes(12).toString('hex') };
  const workers = opts.workers ?? 1;
  const child = spawnLogged(root, ['server/main.ts'], logFile, opts.nodeArgs ?? [], {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    DEMO: '0',
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    ...(workers > 1 ? { WEB_CONCURRENCY: String(workers) } : {}),
  });
  const url = `http://127.0.0.1:${port}`;
  const extra = async () => {
    if (workers <= 1) return;
    while (processTree(child.pid as number).length <= workers) await sleep(100);
    // Every worker forked; give the last one a moment to open its pool and listen.
    await sleep(1500);
  };
  return waitReady(child, url, `${url}/readyz`, logFile, extra, admin);
}

/** Starts the plain Express 5 "hello" server (scripts/bench/hello-server.ts) of this checkout. */
export async function startHelloProcess(root: string, logFile: string): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawnLogged(root, [path.join('scripts', 'bench', 'hello-server.ts')], logFile, [], {
    NODE_ENV: 'production',
    PORT: String(port),
  });
  const url = `http://127.0.0.1:${port}`;
  return waitReady(child, url, `${url}/hello`, logFile, async () => undefined, { email: '', password: '' });
}

function spawnLogged(
  root: string,
  script: string[],
  logFile: string,
  nodeArgs: string[],
  env: Record<string, string>,
): ChildProcess {
  const log = openSync(logFile, 'a');
  return spawn(process.execPath, [...nodeArgs, '--import', 'tsx', ...script], {
    cwd: root,
    stdio: ['ignore', log, log],
    env: { ...process.env, WEB_CONCURRENCY: '', ...env },
  });
}

async function waitReady(
  child: ChildProcess,
  url: string,
  readyUrl: string,
  logFile: string,
  extra: () => Promise<void>,
  admin: { email: string; password: string },
): Promise<ServerProcess> {
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killed = await Promise.race([exited(child).then(() => false), sleep(20_000).then(() => true)]);
    if (killed) {
      child.kill('SIGKILL');
      await exited(child);
    }
  };
  const gone = () =>
    child.exitCode !== null || child.signalCode !== null
      ? `exited with ${child.signalCode ?? child.exitCode}`
      : undefined;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}; see ${logFile}`);
    const ready = await fetch(readyUrl).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) {
      await extra();
      return { url, pid: child.pid as number, admin, gone, stop };
    }
    await sleep(250);
  }
  await stop();
  throw new Error(`the server was not ready within 60 s; see ${logFile}`);
}
