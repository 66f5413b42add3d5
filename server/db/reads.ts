import type { Knex } from 'knex';
import type { Logger } from '../log';

const POLL_MS = 10;
const MAX_WAIT_MS = 1_000;

/**
 * Where the heavy reads go (progress, tallies, exports, sample documents): a streaming replica when
 * there is one, once it has replayed everything the primary had committed when asked, so that a read
 * that follows a write (a volunteer's signer, an organizer's status change) sees it. A replica that
 * lags more than a second, or cannot be reached, is passed over for the primary.
 */
export class Reads {
  constructor(
    private readonly primary: Knex,
    private readonly replica: Knex | undefined,
    private readonly log: Logger,
  ) {}

  async caughtUp(): Promise<Knex> {
    if (!this.replica) return this.primary;
    try {
      const { rows } = await this.primary.raw<{ rows: { lsn: string }[] }>(
        'select pg_current_wal_lsn()::text as lsn',
      );
      const lsn = rows[0]?.lsn;
      for (let waited = 0; lsn && waited <= MAX_WAIT_MS; waited += POLL_MS) {
        const replayed = await this.replica.raw<{ rows: { ok: boolean }[] }>(
          // Not a standby at all (the same server named twice): nothing to wait for.
          'select coalesce(pg_last_wal_replay_lsn() >= ?::pg_lsn, not pg_is_in_recovery()) as ok',
          [lsn],
        );
        if (replayed.rows[0]?.ok) return this.replica;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      this.log.warn('the read replica lags by more than a second; reading from the primary');
    } catch (err) {
      this.log.warn(
        { err: (err as Error).message },
        'the read replica does not answer; reading from the primary',
      );
    }
    return this.primary;
  }
}
