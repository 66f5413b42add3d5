import type { Knex } from 'knex';
import { IdentityCache } from './auth/identities';
import { LoginThrottle } from './auth/throttle';
import { TokenCache } from './auth/tokens';
import type { Config } from './config';
import type { Database } from './db';
import { createBus, type ChangeBus } from './events/bus';
import { Reads } from './db/reads';
import { Jobs } from './jobs';
import type { Logger } from './log';
import { PetitionCache } from './petitions/cache';
import { ProgressHub } from './tallies/hub';

/** Everything a request handler or job needs, built once per process. */
export interface AppContext {
  config: Config;
  log: Logger;
  db: Database;
  knex: Knex;
  /** The replica for heavy reads, once caught up with the primary (else the primary). */
  reads: Reads;
  bus: ChangeBus;
  identities: IdentityCache;
  tokens: TokenCache;
  petitions: PetitionCache;
  progress: ProgressHub;
  throttle: LoginThrottle;
  jobs: Jobs;
}

export async function createContext(config: Config, db: Database, log: Logger): Promise<AppContext> {
  const knex = db.knex;
  const bus = await createBus(knex, db.listenUrl, log);
  const petitions = new PetitionCache(knex, bus);
  const reads = new Reads(knex, db.replica, log);
  return {
    config,
    log,
    db,
    knex,
    reads,
    bus,
    identities: new IdentityCache(knex, bus),
    tokens: new TokenCache(knex, bus),
    petitions,
    progress: new ProgressHub(reads, bus, petitions, log),
    throttle: new LoginThrottle(knex),
    jobs: new Jobs(log),
  };
}

export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.jobs.stop();
  ctx.progress.close();
  await ctx.bus.close();
}
