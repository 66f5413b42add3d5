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
 * Failed logins are limited per account (against guessing one password) and per IP address (against
 * trying many accounts), in the database so that every app process shares the count.
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

  private static refuse(res: RateLimiterRes | null): void {
    if (res && res.remainingPoints <= 0 && res.msBeforeNext > 0) {
      throw new TooManyRequestsError('Too many failed sign-in attempts. Try again later.', {
        headers: { 'Retry-After': String(Math.ceil(res.msBeforeNext / 1000)) },
      });
    }
  }

  async check(email: string, ip: string): Promise<void> {
    const [account, address] = await Promise.all([
      this.byAccount.get(email.toLowerCase()),
      this.byIp.get(ip),
    ]);
    LoginThrottle.refuse(account);
    LoginThrottle.refuse(address);
  }

  async failed(email: string, ip: string): Promise<void> {
    await Promise.all([this.byAccount.penalty(email.toLowerCase(), 1), this.byIp.penalty(ip, 1)]);
  }

  async succeeded(email: string): Promise<void> {
    await this.byAccount.delete(email.toLowerCase());
  }
}
