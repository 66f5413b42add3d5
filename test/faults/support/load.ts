import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sleep, waitFor } from './server';

export interface Signer {
  firstName: string;
  lastName: string;
  addressLine1: string;
  city: string;
  zip: string;
  countyFips: string;
}

/** What came back for one request: an answer, or a network error or timeout (no answer at all). */
export type Outcome =
  | {
      kind: 'answer';
      status: number;
      contentType: string;
      retryAfter: string | null;
      /** The Connection header: `close` when the server will close the connection after this answer. */
      connection: string | null;
      body: string;
    }
  | { kind: 'network'; error: string }
  | { kind: 'timeout' };

export interface RequestRecord {
  seq: number;
  client: number;
  path: string;
  keys: string[];
  attempt: number;
  /** performance.now() when the request was started and when its outcome was known. */
  startedAt: number;
  endedAt: number;
  outcome: Outcome;
}

export interface Credentials {
  token?: string;
  cookie?: string;
}

export interface LoadOptions {
  /** The address client i sends to (read anew for every request). */
  baseUrl: (client: number) => string;
  petitionId: string;
  /** Client i uses credentials[i % length]: bearer tokens like scripts, session cookies like the app. */
  credentials: Credentials[];
  tag: string;
  clients?: number;
  /** Every n-th unit of work of a client is a batch; the others are single signers. */
  batchEvery?: number;
  batchSize?: number;
  timeoutMs?: number;
  /** Sees every request's outcome as it arrives, body included. */
  observe?: (record: RequestRecord) => void;
}

export interface LoadFigures {
  requests: number;
  signersSent: number;
  acknowledged: number;
  unacknowledged: number;
  rejected: number;
  /** A replay answered with another signature than the key's first answer. */
  receiptMismatches: number;
  /** Keys acknowledged by a 200 (already stored): a retry after an answer that never arrived. */
  replays: number;
  networkErrors: number;
  timeouts: number;
  /** Answers by status, every status. */
  byStatus: Record<string, number>;
  /** 5xx answers by status. */
  errors: Record<string, number>;
}

const COUNTIES = [
  '06001',
  '06013',
  '06019',
  '06037',
  '06059',
  '06065',
  '06067',
  '06071',
  '06073',
  '06075',
  '06081',
  '06085',
];

interface Unit {
  batch: boolean;
  items: { key: string; signer: Signer }[];
}

/** One request, its outcome whatever happens: an answer, a network error or a timeout. */
export async function attempt(url: string, init: RequestInit, timeoutMs: number): Promise<Outcome> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.text();
    return {
      kind: 'answer',
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      retryAfter: res.headers.get('retry-after'),
      connection: res.headers.get('connection'),
      body,
    };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError') return { kind: 'timeout' };
    return { kind: 'network', error: `${e.message}: ${e.cause?.code ?? e.cause?.message ?? ''}` };
  }
}

/** Whether the answer settles the key (acknowledged or refused for good) or it must be sent again. */
function retryable(outcome: Outcome): boolean {
  return outcome.kind !== 'answer' || outcome.status >= 500 || outcome.status === 429;
}

const running = new Set<LoadGenerator>();

/** Stops every load still running (a test that failed half-way), giving up on what is in hand. */
export async function stopAllLoads(): Promise<void> {
  await Promise.all([...running].map((load) => load.stop(0)));
}

/**
 * Clients that behave like the volunteer app: each new signer gets its own Idempotency-Key and is sent
 * until an answer of 201 or 200 comes back for that key, the same key with the same body every time
 * (after a network error, a timeout, a 5xx or a 429), with a short backoff.
 */
export class LoadGenerator {
  /** Every key ever sent, with its body. */
  readonly sent = new Map<string, Signer>();
  /** Key → the signature id of its first 201/200. */
  readonly acknowledged = new Map<string, string>();
  /** Key → why the server refused it (a 4xx other than 429): never expected here. */
  readonly rejected = new Map<string, string>();
  /** Keys still not acknowledged when the load stopped. */
  readonly unacknowledged = new Set<string>();
  readonly records: RequestRecord[] = [];
  private readonly figures = {
    receiptMismatches: 0,
    replays: 0,
    networkErrors: 0,
    timeouts: 0,
    byStatus: {} as Record<string, number>,
  };
  private producing = false;
  private giveUpAt = Infinity;
  private loops: Promise<void>[] = [];
  private signers = 0;
  private seq = 0;

  constructor(private readonly opts: LoadOptions) {}

  start(): void {
    if (this.producing) return;
    this.producing = true;
    running.add(this);
    const clients = this.opts.clients ?? 8;
    this.loops = Array.from({ length: clients }, (_, i) => this.client(i));
  }

  /**
   * Stops taking new signers; what is in hand is still sent until acknowledged or until `drainMs` has
   * passed, after which it is recorded as unacknowledged.
   */
  async stop(drainMs = 60_000): Promise<LoadFigures> {
    this.producing = false;
    this.giveUpAt = Math.min(this.giveUpAt, Date.now() + drainMs);
    await Promise.all(this.loops);
    running.delete(this);
    return this.summary();
  }

  async waitForAcknowledged(count: number, timeoutMs = 60_000): Promise<void> {
    await waitFor(
      () => `${count} acknowledged signers (have ${this.acknowledged.size})`,
      () => (this.acknowledged.size >= count ? true : undefined),
      timeoutMs,
      50,
    );
  }

  summary(): LoadFigures {
    const errors: Record<string, number> = {};
    for (const [status, n] of Object.entries(this.figures.byStatus))
      if (Number(status) >= 500) errors[status] = n;
    return {
      requests: this.seq,
      signersSent: this.sent.size,
      acknowledged: this.acknowledged.size,
      unacknowledged: this.unacknowledged.size,
      rejected: this.rejected.size,
      receiptMismatches: this.figures.receiptMismatches,
      replays: this.figures.replays,
      networkErrors: this.figures.networkErrors,
      timeouts: this.figures.timeouts,
      byStatus: { ...this.figures.byStatus },
      errors,
    };
  }

  private nextSigner(): Signer {
    const n = ++this.signers;
    return {
      firstName: `Ada${this.opts.tag}`,
      lastName: `Signer${n}`,
      addressLine1: `${n} Fault Line Ave`,
      city: 'Oakland',
      zip: '94601',
      countyFips: COUNTIES[n % COUNTIES.length] as string,
    };
  }

  private nextUnit(units: number): Unit {
    const batch = units % (this.opts.batchEvery ?? 5) === 0;
    const size = batch ? (this.opts.batchSize ?? 20) : 1;
    const items = Array.from({ length: size }, () => ({ key: randomUUID(), signer: this.nextSigner() }));
    for (const item of items) this.sent.set(item.key, item.signer);
    return { batch, items };
  }

  private async client(index: number): Promise<void> {
    let units = 0;
    while (this.producing) await this.deliver(index, this.nextUnit(++units));
  }

  private async deliver(client: number, unit: Unit): Promise<void> {
    let open = unit.items;
    for (let attempt = 1; open.length; attempt++) {
      const record = await this.send(client, { batch: unit.batch, items: open }, attempt);
      open = this.settle(open, unit.batch, record.outcome);
      if (!open.length) return;
      if (Date.now() > this.giveUpAt) {
        for (const item of open) this.unacknowledged.add(item.key);
        return;
      }
      const backoff = Math.min(1_000, 50 * 2 ** Math.min(attempt - 1, 5));
      await sleep(backoff / 2 + Math.random() * backoff);
    }
  }

  /** A signer sent outside the load's own clients, so that the exactness checks count it too. */
  track(key: string, signer: Signer): void {
    this.sent.set(key, signer);
  }

  acknowledge(key: string, signatureId: string): void {
    const earlier = this.acknowledged.get(key);
    if (earlier === undefined) this.acknowledged.set(key, signatureId);
    else if (earlier !== signatureId) this.figures.receiptMismatches++;
  }

  /** Returns the items still to send. */
  private settle(items: Unit['items'], batch: boolean, outcome: Outcome): Unit['items'] {
    if (outcome.kind !== 'answer' || retryable(outcome)) return items;
    if (!batch) {
      const [item] = items as [Unit['items'][number]];
      if (outcome.status === 201 || outcome.status === 200) {
        if (outcome.status === 200) this.figures.replays++;
        this.acknowledge(item.key, (JSON.parse(outcome.body) as { id: string }).id);
      } else {
        this.rejected.set(item.key, `${outcome.status} ${outcome.body}`);
      }
      return [];
    }
    if (outcome.status !== 200) {
      for (const item of items) this.rejected.set(item.key, `batch ${outcome.status} ${outcome.body}`);
      return [];
    }
    const { results } = JSON.parse(outcome.body) as {
      results: { idempotencyKey: string; status: number; signature?: { id: string } }[];
    };
    const open: Unit['items'] = [];
    items.forEach((item, i) => {
      const result = results[i];
      if (result && (result.status === 201 || result.status === 200) && result.signature) {
        if (result.status === 200) this.figures.replays++;
        this.acknowledge(item.key, result.signature.id);
      } else if (result && result.status >= 400 && result.status < 500 && result.status !== 429) {
        this.rejected.set(item.key, JSON.stringify(result));
      } else {
        open.push(item);
      }
    });
    return open;
  }

  private async send(client: number, unit: Unit, tries: number): Promise<RequestRecord> {
    const creds = this.opts.credentials[client % this.opts.credentials.length] as Credentials;
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (creds.token) headers.Authorization = `Bearer ${creds.token}`;
    if (creds.cookie) headers.Cookie = creds.cookie;
    const path = unit.batch
      ? `/api/petitions/${this.opts.petitionId}/signatures/batch`
      : `/api/petitions/${this.opts.petitionId}/signatures`;
    let body: string;
    if (unit.batch) {
      body = JSON.stringify({
        signatures: unit.items.map((i) => ({ idempotencyKey: i.key, ...i.signer })),
      });
    } else {
      const [item] = unit.items as [Unit['items'][number]];
      headers['Idempotency-Key'] = item.key;
      body = JSON.stringify(item.signer);
    }
    const seq = ++this.seq;
    const startedAt = performance.now();
    const outcome = await attempt(
      `${this.opts.baseUrl(client)}${path}`,
      { method: 'POST', headers, body },
      this.opts.timeoutMs ?? 15_000,
    );
    const record: RequestRecord = {
      seq,
      client,
      path: unit.batch ? 'batch' : 'single',
      keys: unit.items.map((i) => i.key),
      attempt: tries,
      startedAt,
      endedAt: performance.now(),
      outcome,
    };
    if (outcome.kind === 'answer') {
      this.figures.byStatus[outcome.status] = (this.figures.byStatus[outcome.status] ?? 0) + 1;
    } else if (outcome.kind === 'network') {
      this.figures.networkErrors++;
    } else {
      this.figures.timeouts++;
    }
    this.opts.observe?.(record);
    // Bodies of good answers are not kept: thousands of receipts would only cost memory.
    this.records.push(
      outcome.kind === 'answer' && outcome.status < 300
        ? { ...record, outcome: { ...outcome, body: '' } }
        : record,
    );
    return record;
  }
}
