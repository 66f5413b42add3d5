import { api, ApiError, NetworkError } from '../shared/api';
import type { BatchAnswer, RequestBody, SignatureReceipt } from '../shared/types';
import { fieldLabel } from './form';
import { clearRecordsOf, deleteRecord, putRecord, recordsOf, type OutboxRecord } from './store';

const BATCH_SIZE = 200;
const RETRY_MS = 15_000;

type BatchBody = RequestBody<'/api/petitions/{id}/signatures/batch', 'post'>;

export interface Acknowledged {
  key: string;
  receipt: SignatureReceipt;
}

export type OutboxEvent =
  { kind: 'changed' } | { kind: 'acknowledged'; items: Acknowledged[] } | { kind: 'signed-out' };

/**
 * The records typed on this device that the server has not acknowledged yet. Every record is in
 * IndexedDB before it is sent; it leaves only when the server answers 201 or 200 for its key. Sending
 * is retried when the browser comes back online, on a timer while anything waits, and at start.
 * A record the server refuses stays, marked rejected with the reason, until the volunteer fixes or
 * discards it.
 */
export class Outbox {
  records: OutboxRecord[] = [];
  /** False until the records kept on the device have been read. */
  loaded = false;
  sending = false;
  private listeners = new Set<(e: OutboxEvent) => void>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private again = false;

  constructor(readonly userId: string) {}

  get waiting(): number {
    return this.records.filter((r) => r.state === 'waiting').length;
  }

  get rejected(): OutboxRecord[] {
    return this.records.filter((r) => r.state === 'rejected');
  }

  subscribe(listener: (e: OutboxEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: OutboxEvent) {
    for (const l of this.listeners) l(e);
  }

  async start(): Promise<void> {
    await this.reload();
    window.addEventListener('online', this.flushSoon);
    this.timer = setInterval(() => {
      if (this.waiting > 0) this.flushSoon();
    }, RETRY_MS);
    this.flushSoon();
  }

  stop(): void {
    window.removeEventListener('online', this.flushSoon);
    clearInterval(this.timer);
  }

  private async reload() {
    this.records = await recordsOf(this.userId);
    this.loaded = true;
    this.emit({ kind: 'changed' });
  }

  /** Keeps the record on the device first, then tries to send it. */
  async add(record: OutboxRecord): Promise<void> {
    await putRecord(record);
    await this.reload();
    this.flushSoon();
  }

  async discard(key: string): Promise<void> {
    await deleteRecord(key);
    await this.reload();
  }

  /** Erases this volunteer's records from the device. */
  async clear(): Promise<void> {
    await clearRecordsOf(this.userId);
    await this.reload();
  }

  readonly flushSoon = () => {
    void this.flush();
  };

  /** Sends every waiting record, petition by petition, in batches; one send at a time. */
  async flush(): Promise<void> {
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = true;
    this.emit({ kind: 'changed' });
    try {
      do {
        this.again = false;
        const waiting = this.records.filter((r) => r.state === 'waiting');
        for (const petitionId of new Set(waiting.map((r) => r.petitionId))) {
          const records = waiting.filter((r) => r.petitionId === petitionId);
          for (let i = 0; i < records.length; i += BATCH_SIZE) {
            if (!(await this.send(petitionId, records.slice(i, i + BATCH_SIZE)))) return;
          }
        }
      } while (this.again);
    } finally {
      this.sending = false;
      await this.reload();
    }
  }

  /** One batch; false when sending should stop for now (offline, signed out, server trouble). */
  private async send(petitionId: string, records: OutboxRecord[]): Promise<boolean> {
    let answer: BatchAnswer;
    const body: BatchBody = { signatures: records.map((r) => ({ idempotencyKey: r.key, ...r.signer })) };
    try {
      answer = await api<BatchAnswer>(
        'POST',
        `/api/petitions/${encodeURIComponent(petitionId)}/signatures/batch`,
        { body },
      );
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) this.emit({ kind: 'signed-out' });
      if (err instanceof ApiError && [403, 404, 409].includes(err.status)) {
        // The petition itself refuses (it stopped circulating, or this user left it): every record waits.
        await this.reject(records, err.detail || err.title);
        return true;
      }
      if (err instanceof NetworkError || err instanceof ApiError) return false;
      throw err;
    }
    const acknowledged: Acknowledged[] = [];
    for (const result of answer.results) {
      const record = records.find((r) => r.key === result.idempotencyKey);
      if (!record) continue;
      if ((result.status === 200 || result.status === 201) && result.signature) {
        await deleteRecord(record.key);
        acknowledged.push({ key: record.key, receipt: result.signature });
      } else if (result.status >= 400 && result.status < 500) {
        await putRecord({
          ...record,
          state: 'rejected',
          reason: reasonOf(result.status, result.errors ?? []),
          errors: result.errors ?? [],
        });
      }
    }
    if (acknowledged.length) this.emit({ kind: 'acknowledged', items: acknowledged });
    return true;
  }

  private async reject(records: OutboxRecord[], reason: string) {
    for (const record of records) await putRecord({ ...record, state: 'rejected', reason, errors: [] });
  }
}

/** Why a record was refused; a refused field (a line already taken, a void section) is listed beside it. */
function reasonOf(status: number, errors: { path: string }[]): string {
  const onAField = errors.some((e) => fieldLabel(e.path) !== e.path);
  if (status === 409 && !onAField) return 'The petition is not collecting signatures now.';
  if (status === 422) return 'This record was already sent with different details.';
  return 'The server did not accept this record.';
}
