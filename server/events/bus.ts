import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Knex } from 'knex';
import pg from 'pg';
import type { Logger } from '../log';

/** Something durable changed: the tallies or settings of a petition, a user's memberships, a token. */
export interface ChangeEvent {
  kind: 'tallies' | 'petition' | 'identity' | 'token' | 'resync';
  id: string;
}

export interface ChangeBus {
  publish(event: ChangeEvent): void;
  subscribe(listener: (event: ChangeEvent) => void): () => void;
  close(): Promise<void>;
}

const CHANNEL = 'petition_changes';

class LocalBus implements ChangeBus {
  protected readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(event: ChangeEvent): void {
    this.emitter.emit('change', event);
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

/**
 * One LISTEN connection per process carries other processes' changes in; this process's changes are
 * delivered locally at once and sent out with NOTIFY, coalesced over a short window so that a burst of
 * intake costs one notification per petition, not one per signer.
 */
class PostgresBus extends LocalBus {
  private readonly instance = randomUUID();
  private readonly outbox = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private listener: pg.Client | undefined;
  private closed = false;
  private retryMs = 500;

  constructor(
    private readonly knex: Knex,
    private readonly url: string,
    private readonly log: Logger,
    private readonly windowMs = 50,
  ) {
    super();
  }

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (msg) => this.receive(msg.payload ?? ''));
    // Only the connection in use reconnects; a failed attempt's errors end with the attempt.
    client.on('error', (err) => {
      if (client === this.listener) this.reconnect(err);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      void client.end().catch(() => undefined);
      throw err;
    }
    this.listener = client;
    this.retryMs = 500;
  }

  private reconnect(err: Error): void {
    if (this.closed) return;
    this.log.warn({ err: err.message }, 'change listener lost its connection; reconnecting');
    const lost = this.listener;
    this.listener = undefined;
    void lost?.end().catch(() => undefined);
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
    setTimeout(() => {
      if (this.closed) return;
      this.start()
        // Notifications sent while disconnected are lost: every cache must assume it is stale.
        .then(() => super.publish({ kind: 'resync', id: '*' }))
        .catch((e: Error) => this.reconnect(e));
    }, delay).unref();
  }

  private receive(payload: string): void {
    const [instance, kind, id] = payload.split('|');
    if (instance === this.instance || !kind || !id) return;
    super.publish({ kind: kind as ChangeEvent['kind'], id });
  }

  override publish(event: ChangeEvent): void {
    super.publish(event);
    this.outbox.add(`${this.instance}|${event.kind}|${event.id}`);
    this.flushTimer ??= setTimeout(() => void this.flush(), this.windowMs);
  }

  private async flush(): Promise<void> {
    this.flushTimer = undefined;
    const payloads = [...this.outbox];
    this.outbox.clear();
    if (!payloads.length) return;
    try {
      await this.knex.raw('select pg_notify(?, p) from unnest(?::text[]) as p', [CHANNEL, payloads]);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'could not notify other processes of a change');
    }
  }

  override async close(): Promise<void> {
    this.closed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    await this.flush();
    await super.close();
    const client = this.listener;
    this.listener = undefined;
    await client?.end().catch(() => undefined);
  }
}

export async function createBus(knex: Knex, url: string | undefined, log: Logger): Promise<ChangeBus> {
  if (!url) return new LocalBus();
  const bus = new PostgresBus(knex, url, log);
  await bus.start();
  return bus;
}
