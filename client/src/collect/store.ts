import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { FieldError } from '../shared/api';
import type { SignerInput } from '../shared/types';

/** A signer typed on this device and not yet acknowledged by the server. */
export interface OutboxRecord {
  /** The Idempotency-Key, assigned when the volunteer started typing the record. */
  key: string;
  userId: string;
  petitionId: string;
  signer: SignerInput & { signedAt: string };
  state: 'waiting' | 'rejected';
  /** Why the server refused it, for a rejected record. */
  reason?: string;
  errors?: FieldError[];
  savedAt: number;
}

interface CollectDb extends DBSchema {
  outbox: { key: string; value: OutboxRecord; indexes: { byUser: string } };
}

let db: Promise<IDBPDatabase<CollectDb>> | null = null;

function open() {
  db ??= openDB<CollectDb>('petition-collect', 1, {
    upgrade(database) {
      database.createObjectStore('outbox', { keyPath: 'key' }).createIndex('byUser', 'userId');
    },
  });
  return db;
}

/** The records a volunteer has on this device, oldest first. */
export async function recordsOf(userId: string): Promise<OutboxRecord[]> {
  const all = await (await open()).getAllFromIndex('outbox', 'byUser', userId);
  return all.sort((a, b) => a.savedAt - b.savedAt);
}

export async function putRecord(record: OutboxRecord): Promise<void> {
  await (await open()).put('outbox', record);
}

export async function deleteRecord(key: string): Promise<void> {
  await (await open()).delete('outbox', key);
}

/** Erases every record a volunteer has on this device (at log out). */
export async function clearRecordsOf(userId: string): Promise<void> {
  const database = await open();
  const tx = database.transaction('outbox', 'readwrite');
  for (const key of await tx.store.index('byUser').getAllKeys(userId)) await tx.store.delete(key);
  await tx.done;
}
