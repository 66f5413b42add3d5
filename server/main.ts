import cluster from 'node:cluster';
import { preparedByPrimary, runPrimary } from './cluster';
import { ConfigError, loadConfig, type Config } from './config';
import type { DemoLogin } from './demo/seed';
import { createLogger, type Logger } from './log';
import { startServer } from './server';

function printLogins(logins: DemoLogin[] | undefined): void {
  if (!logins) return;
  console.log('\nDemo data created. Sign in with (shown this once):');
  for (const l of logins) console.log(`  ${l.role.padEnd(10)} ${l.email}  ${l.password}`);
  console.log('');
}

function banner(url: string, workers: number): void {
  const processes = workers > 1 ? `, ${workers} worker processes` : '';
  console.log(
    `Petition platform on ${url}  (dashboard at /, API at /api, OpenAPI at /api/openapi.json${processes})`,
  );
}

/** One server process: the whole server, or one worker of several. */
async function serve(config: Config, log: Logger, where: string): Promise<void> {
  const worker = cluster.isWorker;
  const running = await startServer(config, log, { prepared: worker && preparedByPrimary() });
  if (!worker) {
    printLogins(running.demoLogins);
    log.info({ url: running.url, database: where }, 'listening');
    banner(running.url, 1);
  }
  const shutdown = (signal: string) => {
    log.info({ signal, pid: process.pid }, 'shutting down');
    running
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  // A worker whose primary is gone has no one to stop it: it stops by itself.
  if (worker) process.once('disconnect', () => shutdown('disconnect'));
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PostgreSQL in ${config.dataDir}`;
  // A promise nobody awaited failed: report it and keep serving; every request handles its own errors.
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
  try {
    if (config.webConcurrency > 1 && cluster.isPrimary) {
      await runPrimary(config, log, (logins) => {
        printLogins(logins);
        log.info({ port: config.port, workers: config.webConcurrency, database: where }, 'listening');
        banner(`http://localhost:${config.port}`, config.webConcurrency);
      });
    } else {
      await serve(config, log, where);
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`Could not start on ${where}: ${message}`);
    if (config.logLevel === 'debug' || config.logLevel === 'trace') console.error(err);
    process.exit(1);
  }
}

void main();
