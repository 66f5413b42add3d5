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

type Listener = (snapshot: Snapshot) => void;

interface Entry {
  snapshot?: Snapshot;
  computedAt: number;
  version: number;
  computedVersion: number;
  inflight?: Promise<Snapshot>;
  inflightVersion?: number;
  listeners: Set<Listener>;
  pushTimer?: NodeJS.Timeout;
}

/** A cached document is reused while nothing changed, and recomputed at least this often (asOf, pace). */
const MAX_AGE_MS = 5_000;
/** Changes arriving together are pushed to open streams once. */
const PUSH_DELAY_MS = 200;
const RETRY_PUSH_MS = 1_000;

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
  private readonly closers = new Set<() => void>();
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
      entry = { computedAt: 0, version: 0, computedVersion: -1, listeners: new Set() };
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
    if (!entry.listeners.size || entry.pushTimer || this.closed) return;
    entry.pushTimer = setTimeout(() => {
      entry.pushTimer = undefined;
      this.push(petitionId, entry);
    }, delayMs);
  }

  private push(petitionId: string, entry: Entry): void {
    const before = entry.snapshot?.eventId;
    this.snapshot(petitionId)
      .then((snapshot) => {
        if (snapshot.eventId === before) return;
        for (const listener of entry.listeners) listener(snapshot);
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
   * Calls `listener` with the document whenever its counts change, until the returned function is
   * called; `onClose` runs if the hub shuts down first (so open streams end and the server can stop).
   */
  subscribe(petitionId: string, listener: Listener, onClose: () => void): () => void {
    const entry = this.entry(petitionId);
    entry.listeners.add(listener);
    this.closers.add(onClose);
    return () => {
      entry.listeners.delete(listener);
      this.closers.delete(onClose);
    };
  }

  /** How many streams are open in this process, over every petition. */
  openStreams(): number {
    let n = 0;
    for (const entry of this.entries.values()) n += entry.listeners.size;
    return n;
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    for (const close of this.closers) close();
    this.closers.clear();
    for (const entry of this.entries.values()) {
      if (entry.pushTimer) clearTimeout(entry.pushTimer);
      entry.listeners.clear();
    }
  }
}
