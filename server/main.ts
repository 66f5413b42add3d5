import { ConfigError, loadConfig } from './config';
import { createLogger } from './log';
import { startServer } from './server';

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

  let running;
  try {
    running = await startServer(config, log);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`Could not start on ${where}: ${message}`);
    if (config.logLevel === 'debug' || config.logLevel === 'trace') console.error(err);
    process.exit(1);
  }

  if (running.demoLogins) {
    console.log('\nDemo data created. Sign in with (shown this once):');
    for (const l of running.demoLogins) console.log(`  ${l.role.padEnd(10)} ${l.email}  ${l.password}`);
    console.log('');
  }
  log.info({ url: running.url, database: where }, 'listening');
  console.log(
    `Petition platform on ${running.url}  (dashboard at /, API at /api, OpenAPI at /api/openapi.json)`,
  );

  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    running
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  // A promise nobody awaited failed: report it and keep serving; every request handles its own errors.
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

void main();
