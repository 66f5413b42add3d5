/*
 * npm run pgbouncer -- start [--dir D] [--port 6432] [--server postgres://root@127.0.0.1:5432]
 * npm run pgbouncer -- stop [--dir D]
 *
 * Debian's PgBouncer (apt-get install pgbouncer) in transaction-pooling mode in front of a PostgreSQL
 * server, configured in a directory of its own: the app then runs with DATABASE_URL on PgBouncer and
 * DATABASE_LISTEN_URL straight on the server (LISTEN needs a session of its own). Trust
 * authentication on 127.0.0.1: for tests and trying it out.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

export const PGBOUNCER = '/usr/sbin/pgbouncer';
const DEFAULT_DIR = path.resolve(__dirname, '..', '.pgbouncer');

export function startPgbouncer(
  dir = DEFAULT_DIR,
  port = 6432,
  server = 'postgres://root@127.0.0.1:5432',
): string {
  if (!existsSync(PGBOUNCER)) throw new Error(`${PGBOUNCER} is missing: apt-get install -y pgbouncer`);
  const target = new URL(server);
  mkdirSync(dir, { recursive: true });
  const ini = path.join(dir, 'pgbouncer.ini');
  writeFileSync(path.join(dir, 'users.txt'), `"${target.username || 'root'}" ""\n`);
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=${target.hostname} port=${target.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      'auth_type = trust',
      `auth_file = ${path.join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      'max_client_conn = 500',
      'default_pool_size = 20',
      // The parameters node-postgres sends at connect, which PgBouncer would otherwise refuse.
      'ignore_startup_parameters = extra_float_digits,options,application_name',
      `logfile = ${path.join(dir, 'pgbouncer.log')}`,
      `pidfile = ${path.join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n'),
  );
  // PgBouncer refuses to run as root.
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const [cmd, args] =
    process.getuid?.() === 0
      ? ['runuser', ['-u', 'postgres', '--', PGBOUNCER, '-d', ini]]
      : [PGBOUNCER, ['-d', ini]];
  execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return `postgres://${target.username || 'root'}@127.0.0.1:${port}`;
}

export function stopPgbouncer(dir = DEFAULT_DIR): void {
  const pidfile = path.join(dir, 'pgbouncer.pid');
  if (!existsSync(pidfile)) return;
  const pid = Number(readFileSync(pidfile, 'utf8').trim());
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    // already gone
  }
}

if (require.main === module) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      dir: { type: 'string', default: DEFAULT_DIR },
      port: { type: 'string', default: '6432' },
      server: { type: 'string', default: 'postgres://root@127.0.0.1:5432' },
    },
  });
  const dir = path.resolve(values.dir);
  if (positionals[0] === 'stop') {
    stopPgbouncer(dir);
    console.log('stopped PgBouncer');
  } else {
    const base = startPgbouncer(dir, Number(values.port), values.server);
    console.log(`PgBouncer (transaction pooling) on ${base}/<database>`);
  }
}
