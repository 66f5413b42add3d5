import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { isoTime } from '../http/schemas';
import type { Outcome, Receipt, SignerItem } from './intake';
import type { SignerInput } from './schemas';

export const RECEIPT = [
  'id',
  'status',
  'county_fips as countyFips',
  'duplicate_of as duplicateOf',
  'circulator_id as circulatorId',
  'created_at as createdAt',
  'idempotency_key as idempotencyKey',
  'request_hash as requestHash',
];

export type ReceiptRow = Omit<Receipt, 'createdAt'> & {
  createdAt: Date | string;
  idempotencyKey: string;
  requestHash: string;
};

export function toReceipt(row: ReceiptRow): Receipt {
  const { idempotencyKey: _k, requestHash: _h, createdAt, ...rest } = row;
  return { ...rest, createdAt: isoTime(createdAt) };
}

/** The answer for a key that is already stored: the same signer from the same account, or 422. */
export function replayOf(row: ReceiptRow, item: SignerItem, circulatorId: string, hash: string): Outcome {
  if (row.circulatorId !== circulatorId) {
    // Another account's key: say nothing of the signer stored under it.
    return {
      status: 422,
      detail: 'This Idempotency-Key is already in use. Make a new one for this signer.',
      errors: [{ path: item.keyAt, message: 'already in use' }],
    };
  }
  if (row.requestHash !== hash) {
    return {
      status: 422,
      detail: 'This Idempotency-Key was already used for a different signer.',
      errors: [{ path: item.keyAt, message: 'already used with a different body' }],
    };
  }
  return { status: 200, signature: toReceipt(row) };
}

export async function storedUnder(
  knex: Knex,
  petitionId: string,
  keys: string[],
): Promise<Map<string, ReceiptRow>> {
  if (!keys.length) return new Map();
  const rows: ReceiptRow[] = await knex('signatures')
    .where({ petition_id: petitionId })
    .whereIn('idempotency_key', [...new Set(keys)])
    .select(RECEIPT);
  return new Map(rows.map((r) => [r.idempotencyKey, r]));
}

/** The same signer sent again must hash the same however its JSON was laid out. */
export function requestHash(input: SignerInput): string {
  const canonical = [
    input.firstName,
    input.lastName,
    input.addressLine1,
    input.addressLine2 ?? null,
    input.city,
    input.zip,
    input.countyFips,
    input.dateOfBirth ?? null,
    input.email ?? null,
    input.phone ?? null,
    input.signedAt ? isoTime(input.signedAt) : null,
  ];
  // Signers sent before sections existed hash as they always did.
  if (input.sectionNumber != null) canonical.push(String(input.sectionNumber), String(input.line));
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/**
 * The answers to refused items: an item whose key was stored already is a replay and is answered
 * from what was stored (what was acknowledged stays acknowledged); the others get their refusal.
 */
export async function unlessStored(
  knex: Knex,
  petitionId: string,
  circulatorId: string,
  refused: { item: SignerItem; outcome: Outcome }[],
): Promise<Map<SignerItem, Outcome>> {
  const stored = await storedUnder(
    knex,
    petitionId,
    refused.map((r) => r.item.key),
  );
  return new Map(
    refused.map(({ item, outcome }) => {
      const row = stored.get(item.key);
      return [item, row ? replayOf(row, item, circulatorId, requestHash(item.input)) : outcome];
    }),
  );
}
