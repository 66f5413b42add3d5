import type { Knex } from 'knex';
import { RateLimiterPostgres, type RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyRequestsError } from '../http/errors';

/** rate-limiter-flexible's Postgres store speaks `query({text, values})`; this runs it on knex's connection. */
function storeClient(knex: Knex) {
  return {
    async query(q: { text: string; values?: unknown[] }) {
      const client = knex.client as {
        acquireConnection(): Promise<{ query(text: string, values?: unknown[]): Promise<unknown> }>;
        releaseConnection(conn: unknown): Promise<void>;
      };
      const conn = await client.acquireConnection();
      try {
        return await conn.query(q.text, q.values);
      } finally {
        await client.releaseConnection(conn);
      }
    },
  };
}

const WINDOW_S = 15 * 60;

/**
 * Sign-in attempts are limited per account (against guessing one password) and per IP address (against
 * trying many accounts), in the database so that every app process shares the count. An attempt
 * counts until it succeeds.
 */
export class LoginThrottle {
  private readonly byAccount: RateLimiterPostgres;
  private readonly byIp: RateLimiterPostgres;

  constructor(knex: Knex, limits = { perAccount: 10, perIp: 100 }) {
    const common = {
      storeClient: storeClient(knex),
      storeType: 'pool',
      tableName: 'rate_limits',
      tableCreated: true,
    };
    this.byAccount = new RateLimiterPostgres({
      ...common,
      keyPrefix: 'login_account',
      points: limits.perAccount,
      duration: WINDOW_S,
      blockDuration: WINDOW_S,
      clearExpiredByTimeout: false,
    });
    this.byIp = new RateLimiterPostgres({
      ...common,
      keyPrefix: 'login_ip',
      points: limits.perIp,
      duration: WINDOW_S,
      blockDuration: WINDOW_S,
      clearExpiredByTimeout: false,
    });
  }

  private static refuse(res: RateLimiterRes): never {
    throw new TooManyRequestsError('Too many failed sign-in attempts. Try again later.', {
      headers: { 'Retry-After': String(Math.max(1, Math.ceil(res.msBeforeNext / 1000))) },
    });
  }

  /** The limiter refused (a RateLimiterRes), or its store failed (an Error, passed on). */
  private static async spend(limiter: RateLimiterPostgres, key: string): Promise<void> {
    try {
      await limiter.consume(key, 1);
    } catch (err) {
      if (err instanceof Error) throw err;
      LoginThrottle.refuse(err as RateLimiterRes);
    }
  }

  /**
   * Spends one attempt of the address and one of the account before the password is checked, each in
   * one atomic statement, so that guesses sent together cannot all pass a check made before any failed.
   */
  async attempt(email: string, ip: string): Promise<void> {
    await LoginThrottle.spend(this.byIp, ip);
    await LoginThrottle.spend(this.byAccount, email.toLowerCase());
  }

  /** A right password: the account's failures are forgiven, and the address gets its attempt back. */
  async succeeded(email: string, ip: string): Promise<void> {
    await Promise.all([this.byAccount.delete(email.toLowerCase()), this.byIp.reward(ip, 1)]);
  }
}
