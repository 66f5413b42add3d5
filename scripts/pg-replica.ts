/*
 * npm run pg:replica -- start [--dir D] [--primary-port 5433] [--replica-port 5434]
 * npm run pg:replica -- stop [--dir D] [--clean]
 *
 * A local PostgreSQL primary and a streaming replica of it, made with Debian's PostgreSQL tools
 * (initdb, pg_basebackup -R, pg_ctl) in a directory of their own, on their own ports, so the app can
 * be run with DATABASE_URL on the primary and DATABASE_READ_URL on the replica. Run as root, the
 * servers run as the postgres user. Superuser `root`, trust authentication, 127.0.0.1 only: for tests
 * and trying it out, not for production.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

export interface ReplicaPair {
  dir: string;
  primaryUrl: string;
  replicaUrl: string;
}

const DEFAULT_DIR = path.resolve(__dirname, '..', '.pg-replica');

function binDir(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort();
  const latest = versions[versions.length - 1];
  if (!latest) throw new Error('PostgreSQL is not installed (/usr/lib/postgresql is empty)');
  return `/usr/lib/postgresql/${latest}/bin`;
}

/** Runs a PostgreSQL tool, as the postgres user when this process is root (the server refuses root). */
function pg(tool: string, args: string[]): string {
  const bin = path.join(binDir(), tool);
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function ownDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
}

const url = (port: number) => `postgres://root@127.0.0.1:${port}/postgres`;

export function startReplicaPair(dir = DEFAULT_DIR, ports = { primary: 5433, replica: 5434 }): ReplicaPair {
  const primary = path.join(dir, 'primary');
  const replica = path.join(dir, 'replica');
  ownDir(dir);
  if (!existsSync(path.join(primary, 'PG_VERSION'))) {
    pg('initdb', ['-D', primary, '-U', 'root', '--auth=trust', '--no-sync']);
    appendFileSync(
      path.join(primary, 'postgresql.conf'),
      [
        `port = ${ports.primary}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        'wal_level = replica',
        'max_wal_senders = 5',
        'fsync = off',
        '',
      ].join('\n'),
    );
  }
  pg('pg_ctl', ['-D', primary, '-l', path.join(dir, 'primary.log'), '-w', 'start']);
  if (!existsSync(path.join(replica, 'PG_VERSION'))) {
    pg('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(ports.primary),
      '-U',
      'root',
      '-D',
      replica,
      '-R',
      '-X',
      'stream',
    ]);
    writeFileSync(
      path.join(replica, 'postgresql.auto.conf'),
      `primary_conninfo = 'host=127.0.0.1 port=${ports.primary} user=root'\nport = ${ports.replica}\n`,
    );
  }
  pg('pg_ctl', ['-D', replica, '-l', path.join(dir, 'replica.log'), '-w', 'start']);
  return { dir, primaryUrl: url(ports.primary), replicaUrl: url(ports.replica) };
}

export function stopReplicaPair(dir = DEFAULT_DIR, opts: { clean?: boolean } = {}): void {
  for (const server of ['replica', 'primary']) {
    const data = path.join(dir, server);
    if (existsSync(path.join(data, 'postmaster.pid'))) pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  }
  if (opts.clean) rmSync(dir, { recursive: true, force: true });
}

if (require.main === module) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      dir: { type: 'string', default: DEFAULT_DIR },
      'primary-port': { type: 'string', default: '5433' },
      'replica-port': { type: 'string', default: '5434' },
      clean: { type: 'boolean', default: false },
    },
  });
  const dir = path.resolve(values.dir);
  if (positionals[0] === 'stop') {
    stopReplicaPair(dir, { clean: values.clean });
    console.log(`stopped the primary and the replica in ${dir}`);
  } else {
    const pair = startReplicaPair(dir, {
      primary: Number(values['primary-port']),
      replica: Number(values['replica-port']),
    });
    console.log(`primary: ${pair.primaryUrl}\nreplica: ${pair.replicaUrl}`);
    console.log(`DATABASE_URL=${pair.primaryUrl} DATABASE_READ_URL=${pair.replicaUrl} npm start`);
  }
}
