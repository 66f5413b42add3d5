import { ConnectSessionKnexStore } from 'connect-session-knex';
import type { SessionData } from 'express-session';
import type { Knex } from 'knex';
import type { Logger } from '../log';

type Callback<T = unknown> = (err: unknown, value?: T) => void;

/** The library both calls back with an error and rejects its promise, which nobody awaits. */
function reported<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * Sessions in the database, through connect-session-knex. Errors reach express-session through the
 * callbacks (and so the error handler, which answers 503 while the database is away), never as
 * unhandled rejections that would take the process down.
 */
class SessionStore extends ConnectSessionKnexStore {
  constructor(
    knex: Knex,
    private readonly log: Logger,
  ) {
    super({ knex, tableName: 'sessions', createTable: false, cleanupInterval: 0 });
    // The migrations made the table. The library's start-up check would, if the database were away at
    // that moment, leave every later request failing on its rejected promise.
    this.ready.catch(() => undefined);
    this.ready = Promise.resolve();
  }

  override get(sid: string, callback: Callback<SessionData | null>) {
    return reported(super.get(sid, callback));
  }

  override set(sid: string, session: SessionData, callback?: (err?: unknown) => void) {
    return reported(super.set(sid, session, callback));
  }

  override destroy(sid: string, callback?: (err?: unknown) => void) {
    return reported(super.destroy(sid, callback));
  }

  /**
   * Extending a session's expiry runs after the answer is written: when the database is away at that
   * moment the answer stands and the session simply is not extended this time.
   */
  override async touch(sid: string, session: SessionData, callback?: () => void): Promise<void> {
    try {
      await super.touch(sid, session);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'could not extend a session');
    }
    callback?.();
  }
}

export function sessionStore(knex: Knex, log: Logger): SessionStore {
  return new SessionStore(knex, log);
}
