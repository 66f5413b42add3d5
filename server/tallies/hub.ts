import { createHash } from 'node:crypto';
import type { Reads } from '../db/reads';
import type { ChangeBus } from '../events/bus';
import type { Logger } from '../log';
import type { PetitionCache } from '../petitions/cache';
import { buildProgress, type ProgressDocument } from './progress';
import { readTallies } from './store';

/** A computed progress document, serialized once for every reader and stream that shares it. */
export interface Snapshot {
  doc: ProgressDocument;
  json: string;
  /** A strong ETag of `json`. */
  etag: string;
  /** The stream's event id: the same for the same counts, whenever and wherever computed. */
  eventId: string;
  /** The whole Server-Sent Event, written as it is to every open stream. */
  frame: string;
}

/** An open stream: what the hub writes to it. */
export interface Stream {
  /** A document that may be the one the stream was sent last: the stream sends only what is new. */
  send(snapshot: Snapshot): void;
  /** A comment line that keeps proxies from closing an idle connection. */
  beat(): void;
  /** The hub is shutting down: end the stream. */
  end(): void;
}

interface Entry {
  snapshot?: Snapshot;
  computedAt: number;
  version: number;
  computedVersion: number;
  inflight?: Promise<Snapshot>;
  inflightVersion?: number;
  streams: Set<Stream>;
  pushTimer?: NodeJS.Timeout;
}

/** A cached document is reused while nothing changed, and recomputed at least this often (asOf, pace). */
const MAX_AGE_MS = 5_000;
/** Changes arriving together are pushed to open streams once. */
const PUSH_DELAY_MS = 200;
const RETRY_PUSH_MS = 1_000;
const HEARTBEAT_MS = 20_000;
/** Streams written to between two turns of the event loop, so that requests are served meanwhile. */
const FAN_OUT_SLICE = 500;

/** Does `work` for every item, a slice at a time, yielding to the event loop between slices. */
async function fanOut<T>(items: T[], work: (item: T) => void): Promise<void> {
  for (let i = 0; i < items.length; i += FAN_OUT_SLICE) {
    if (i) await new Promise((resolve) => setImmediate(resolve));
    for (const item of items.slice(i, i + FAN_OUT_SLICE)) work(item);
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 27);

export function snapshotOf(doc: ProgressDocument): Snapshot {
  const json = JSON.stringify(doc);
  // The counts without the time they were read: a reader who has them already needs nothing new.
  const eventId = digest(JSON.stringify({ ...doc, asOf: undefined }));
  return {
    doc,
    json,
    etag: `"${digest(json)}"`,
    eventId,
    frame: `id: ${eventId}\nevent: progress\ndata: ${json}\n\n`,
  };
}

/**
 * One source of progress per process. Every GET and every open stream of a petition share one cached
 * document, recomputed once after each change (announced on the change bus, from this process or any
 * other), so a thousand dashboards cost one query per change, not a thousand.
 */
export class ProgressHub {
  private readonly entries = new Map<string, Entry>();
  private readonly unsubscribe: () => void;
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly reads: Reads,
    bus: ChangeBus,
    private readonly petitions: PetitionCache,
    private readonly log: Logger,
  ) {
    this.unsubscribe = bus.subscribe((event) => {
      if (event.kind === 'tallies' || event.kind === 'petition') this.changed(event.id);
      if (event.kind === 'resync') for (const id of this.entries.keys()) this.changed(id);
    });
  }

  private entry(petitionId: string): Entry {
    let entry = this.entries.get(petitionId);
    if (!entry) {
      entry = { computedAt: 0, version: 0, computedVersion: -1, streams: new Set() };
      this.entries.set(petitionId, entry);
    }
    return entry;
  }

  private changed(petitionId: string): void {
    const entry = this.entries.get(petitionId);
    if (!entry) return;
    entry.version++;
    this.schedulePush(petitionId, entry, PUSH_DELAY_MS);
  }

  private schedulePush(petitionId: string, entry: Entry, delayMs: number): void {
    if (!entry.streams.size || entry.pushTimer || this.closed) return;
    entry.pushTimer = setTimeout(() => {
      entry.pushTimer = undefined;
      this.push(petitionId, entry);
    }, delayMs);
  }

  private push(petitionId: string, entry: Entry): void {
    // Every stream gets the snapshot, even when a reader's GET computed it first; each stream skips
    // what it already has (Stream.send).
    this.snapshot(petitionId)
      .then((snapshot) => {
        void fanOut([...entry.streams], (stream) => stream.send(snapshot));
      })
      .catch((err: unknown) => {
        // The database may be away for a moment: the open streams get the change once it is back.
        this.log.warn({ err: (err as Error).message, petitionId }, 'could not push progress; retrying');
        this.schedulePush(petitionId, entry, RETRY_PUSH_MS);
      });
  }

  /** The progress document of a petition, exact as of the last change this process heard of. */
  async snapshot(petitionId: string): Promise<Snapshot> {
    const entry = this.entry(petitionId);
    const fresh = entry.computedVersion === entry.version && Date.now() - entry.computedAt < MAX_AGE_MS;
    if (entry.snapshot && fresh) return entry.snapshot;
    // A computation that started before the latest change may miss it: start another.
    if (entry.inflight && entry.inflightVersion === entry.version) return entry.inflight;
    const version = entry.version;
    const inflight = this.compute(petitionId, entry, version).finally(() => {
      if (entry.inflight === inflight) entry.inflight = undefined;
    });
    entry.inflight = inflight;
    entry.inflightVersion = version;
    return inflight;
  }

  async document(petitionId: string): Promise<ProgressDocument> {
    return (await this.snapshot(petitionId)).doc;
  }

  private async compute(petitionId: string, entry: Entry, version: number): Promise<Snapshot> {
    const petition = await this.petitions.find(petitionId);
    if (!petition) throw new Error(`petition ${petitionId} vanished`);
    // To the second: the document is exact as of `asOf`, the last week included (see readTallies).
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const knex = await this.reads.caughtUp();
    const doc = buildProgress(petition, await readTallies(knex, petitionId, now), now);
    const snapshot = snapshotOf(doc);
    if (version >= entry.computedVersion) {
      Object.assign(entry, { snapshot, computedAt: Date.now(), computedVersion: version });
    }
    return snapshot;
  }

  /**
   * Sends the stream every new document of the petition (the same serialized event for all), and a
   * heartbeat now and then, until the returned function is called; ends it if the hub shuts down.
   */
  subscribe(petitionId: string, stream: Stream): () => void {
    const entry = this.entry(petitionId);
    entry.streams.add(stream);
    this.heartbeat ??= setInterval(() => {
      const all = [...this.entries.values()].flatMap((e) => [...e.streams]);
      void fanOut(all, (s) => s.beat());
    }, HEARTBEAT_MS).unref();
    return () => {
      entry.streams.delete(stream);
    };
  }

  /** Shut down: streams end, and no new one opens. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** How many streams are open in this process, over every petition. */
  openStreams(): number {
    let n = 0;
    for (const entry of this.entries.values()) n += entry.streams.size;
    return n;
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const entry of this.entries.values()) for (const stream of entry.streams) stream.end();
    for (const entry of this.entries.values()) {
      if (entry.pushTimer) clearTimeout(entry.pushTimer);
      entry.streams.clear();
    }
  }
}
