import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';

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

/**
 * Starts `server/main.ts` in its own Node process (tsx as a loader, so the pid is the server's own and
 * SIGTERM reaches it directly), logging to `logFile`, and waits until GET /readyz answers 200.
 */
export async function startServerProcess(
  root: string,
  databaseUrl: string,
  logFile: string,
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  const port = await freePort();
  const admin = { email: 'bench-admin@example.org', password: randomBytes(12).toString('hex') };
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join('server', 'main.ts')], {
    cwd: root,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      DEMO: '0',
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
    },
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killed = await Promise.race([exited(child).then(() => false), sleep(20_000).then(() => true)]);
    if (killed) {
      child.kill('SIGKILL');
      await exited(child);
    }
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}; see ${logFile}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    const gone = () =>
      child.exitCode !== null || child.signalCode !== null
        ? `exited with ${child.signalCode ?? child.exitCode}`
        : undefined;
    if (ready) return { url, pid: child.pid as number, admin, gone, stop };
    await sleep(250);
  }
  await stop();
  throw new Error(`the server was not ready within 60 s; see ${logFile}`);
}
