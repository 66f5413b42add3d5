import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config';
import type { Logger } from './log';
import { prepareData } from './server';
import type { DemoLogin } from './demo/seed';

/** Set in a worker's environment by its primary, which has migrated and seeded already. */
const PREPARED = 'PETITION_WORKER_PREPARED';

export const preparedByPrimary = () => process.env[PREPARED] === '1';

/**
 * The primary of `WEB_CONCURRENCY` server processes on one port: it migrates and seeds once, forks the
 * workers (each with its own pool and LISTEN connection; the tally rollup stays single through its
 * advisory lock), replaces one that dies, and on SIGTERM or SIGINT has them all drain and stop.
 */
export async function runPrimary(
  config: Config,
  log: Logger,
  onReady: (logins: DemoLogin[] | undefined) => void,
): Promise<void> {
  const logins = await prepareData(config, log);
  let stopping = false;
  const fork = () => cluster.fork({ [PREPARED]: '1' });
  cluster.on('exit', (worker: Worker, code, signal) => {
    if (stopping) return;
    log.error({ pid: worker.process.pid, code, signal }, 'a server worker stopped; starting another');
    fork();
  });
  const listening = new Set<number>();
  await new Promise<void>((resolve) => {
    cluster.on('listening', (worker) => {
      listening.add(worker.id);
      if (listening.size === config.webConcurrency) resolve();
    });
    for (let i = 0; i < config.webConcurrency; i++) fork();
  });
  onReady(logins);

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, workers: config.webConcurrency }, 'stopping the workers');
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    let failed = false;
    let left = workers.length;
    if (!left) process.exit(0);
    for (const worker of workers) {
      worker.once('exit', (code) => {
        failed ||= code !== 0;
        if (--left === 0) process.exit(failed ? 1 : 0);
      });
      worker.process.kill('SIGTERM');
    }
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
