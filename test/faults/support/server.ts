import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../../scripts/bench/server';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../../server/db';
import { freshDataDir, removeDataDir, usingPostgres } from '../../support/app';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

/** A database of its own for one test: a new database on the DATABASE_URL server, or a fresh DATA_DIR. */
export interface FaultDatabase {
  /** The database name (PostgreSQL) or the data directory (embedded). */
  label: string;
  kind: 'postgres' | 'pglite';
  /** What the server process is started with to use this database. */
  env: Record<string, string>;
  /** Opens it from the test process (on the embedded database, only while no server runs on it). */
  open(): Promise<Database>;
  /** Ends every connection to this database but the caller's; returns how many were ended. */
  terminateBackends(): Promise<number>;
  dispose(): Promise<void>;
}

let databases = 0;

function serverUrl(database: string): string {
  const url = new URL(process.env.DATABASE_URL as string);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onMaintenanceDb<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl('postgres') });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function freshFaultDatabase(): Promise<FaultDatabase> {
  if (!usingPostgres) {
    const dir = freshDataDir();
    return {
      label: dir,
      kind: 'pglite',
      env: { DATA_DIR: dir },
      open: () => openDatabase({ dataDir: dir }),
      terminateBackends: () => Promise.reject(new Error('the embedded database has no backends to end')),
      dispose: async () => removeDataDir(dir),
    };
  }
  const name = `faults_${process.pid}_${++databases}_${Date.now().toString(36)}`;
  await onMaintenanceDb((c) => c.query(`create database ${name}`));
  const url = serverUrl(name);
  return {
    label: name,
    kind: 'postgres',
    env: { DATABASE_URL: url },
    open: () => openDatabase({ databaseUrl: url, dataDir: '.', poolMax: 4 }),
    terminateBackends: () =>
      onMaintenanceDb(async (c) => {
        const { rows } = await c.query<{ ended: boolean }>(
          `select pg_terminate_backend(pid) as ended from pg_stat_activity
            where datname = $1 and pid <> pg_backend_pid()`,
          [name],
        );
        return rows.filter((r) => r.ended).length;
      }),
    dispose: () =>
      onMaintenanceDb((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const OUTPUT_KEEP = 64 * 1024;

/** Every child still running; killed if the test process exits first, so that no server outlives it. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export const ADMIN = { email: 'admin@faults.test', password: 'fault-injection-admin-password' };

/**
 * The real server (`node --import tsx server/main.ts`) as a child process on a fixed port, so that it
 * can be killed and started again on the same database and address. Keeps the end of its output for
 * diagnostics and counts every exit it did not ask for.
 */
export class ServerProcess {
  private child: ChildProcess | undefined;
  private exitPromise: Promise<Exit> | undefined;
  private out = '';
  private readonly partial = { out: '', err: '' };
  /** Error and fatal log lines by message: what the server itself reported going wrong. */
  readonly errorLog: Record<string, number> = {};
  private expectingExit = false;
  readonly url: string;
  /** Exits that no test asked for (the process died by itself). */
  readonly unexpectedExits: Exit[] = [];
  starts = 0;

  constructor(
    readonly name: string,
    readonly db: FaultDatabase,
    readonly port: number,
    private readonly extraEnv: Record<string, string> = {},
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  static async start(
    name: string,
    db: FaultDatabase,
    extraEnv: Record<string, string> = {},
  ): Promise<ServerProcess> {
    const server = new ServerProcess(name, db, await freePort(), extraEnv);
    await server.start();
    return server;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  /** The last part of what the process wrote on stdout and stderr, across restarts. */
  output(): string {
    return this.out;
  }

  private keep(label: 'out' | 'err', chunk: Buffer): void {
    const lines = (this.partial[label] + chunk.toString()).split('\n');
    this.partial[label] = lines.pop() ?? '';
    for (const line of lines) {
      this.out += `[${this.name} ${label}] ${line}\n`;
      this.countError(line);
    }
    if (this.out.length > OUTPUT_KEEP) this.out = this.out.slice(-OUTPUT_KEEP);
  }

  /** Log lines at level error or fatal, by message (and the error's code), across restarts. */
  private countError(line: string): void {
    if (!line.startsWith('{')) return;
    try {
      const entry = JSON.parse(line) as {
        level?: number;
        msg?: string;
        err?: { code?: string; message?: string };
      };
      if ((entry.level ?? 0) < 50) return;
      // The message's tail names the cause (knex puts the SQL first: "insert … - terminating connection …").
      const cause = entry.err?.message?.split(' - ').pop()?.slice(0, 80);
      const kind = [entry.msg, entry.err?.code, cause].filter(Boolean).join(': ');
      this.errorLog[kind] = (this.errorLog[kind] ?? 0) + 1;
    } catch {
      // not a log line
    }
  }

  async start(timeoutMs = 60_000): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    delete env.DATABASE_URL;
    delete env.DATA_DIR;
    Object.assign(env, {
      NODE_ENV: 'test',
      PORT: String(this.port),
      HOST: '127.0.0.1',
      DEMO: '0',
      LOG_LEVEL: 'warn',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      // Fixed, so that session cookies stay good across restarts (sessions live in the database).
      SESSION_SECRET: 'fault-injection-session-secret-0123456789abcdef',
      DB_POOL_MAX: '10',
      ...this.db.env,
      ...this.extraEnv,
    });
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    children.add(child);
    this.starts++;
    this.expectingExit = false;
    child.stdout?.on('data', (c: Buffer) => this.keep('out', c));
    child.stderr?.on('data', (c: Buffer) => this.keep('err', c));
    this.exitPromise = new Promise<Exit>((resolve) => {
      child.once('exit', (code, signal) => {
        children.delete(child);
        const exit = { code, signal };
        if (!this.expectingExit) this.unexpectedExits.push(exit);
        resolve(exit);
      });
    });
    try {
      await this.waitReady(timeoutMs);
    } catch (err) {
      this.expectingExit = true;
      child.kill('SIGKILL');
      throw err;
    }
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) {
        const exit = await this.exitPromise;
        throw new Error(`${this.name} exited while starting (${JSON.stringify(exit)}):\n${this.out}`);
      }
      try {
        const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`${this.name} did not answer /healthz within ${timeoutMs} ms:\n${this.out}`);
  }

  /** Sends a signal the test means to send (its exit then does not count as unexpected). */
  signal(sig: NodeJS.Signals): void {
    if (!this.child || !this.running) throw new Error(`${this.name} is not running`);
    this.expectingExit = true;
    this.child.kill(sig);
  }

  /** Waits for the current process to exit; throws if it has not within the timeout. */
  async waitExit(timeoutMs = 30_000): Promise<Exit> {
    if (!this.exitPromise) throw new Error(`${this.name} was never started`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${this.name} did not exit within ${timeoutMs} ms:\n${this.out}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.exitPromise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async kill(): Promise<Exit> {
    this.signal('SIGKILL');
    return this.waitExit();
  }

  /** SIGTERM, then the exit; the server has its own 10 s grace for open connections. */
  async terminate(timeoutMs = 30_000): Promise<Exit> {
    this.signal('SIGTERM');
    return this.waitExit(timeoutMs);
  }

  /** Leaves nothing running, whatever state the test ended in. */
  async dispose(): Promise<void> {
    if (!this.running) return;
    this.signal('SIGTERM');
    try {
      await this.waitExit(15_000);
    } catch {
      this.child?.kill('SIGKILL');
      await this.waitExit(10_000).catch(() => undefined);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `check` returns something other than undefined, or throws with `what` at the deadline. */
export async function waitFor<T>(
  what: string | (() => string),
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`,
      );
    }
    await sleep(intervalMs);
  }
}
