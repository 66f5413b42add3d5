import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { ConflictError, type FieldError } from '../http/errors';
import { isoTime } from '../http/schemas';
import type { Petition } from '../petitions/repo';
import { matchKey } from './normalize';
import type { SignerInput } from './schemas';

export interface Receipt {
  id: string;
  status: 'pending' | 'valid' | 'invalid' | 'duplicate';
  countyFips: string;
  duplicateOf: string | null;
  circulatorId: string;
  createdAt: string;
}

export type Outcome =
  { status: 201 | 200; signature: Receipt } | { status: 422; errors: FieldError[]; detail: string };

interface Prepared {
  key: string;
  row: Record<string, unknown>;
}

const RECEIPT = [
  'id',
  'status',
  'county_fips as countyFips',
  'duplicate_of as duplicateOf',
  'circulator_id as circulatorId',
  'created_at as createdAt',
  'idempotency_key as idempotencyKey',
  'request_hash as requestHash',
];

type ReceiptRow = Omit<Receipt, 'createdAt'> & {
  createdAt: Date | string;
  idempotencyKey: string;
  requestHash: string;
};

function toReceipt(row: ReceiptRow): Receipt {
  const { idempotencyKey: _k, requestHash: _h, createdAt, ...rest } = row;
  return { ...rest, createdAt: isoTime(createdAt) };
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
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

function prepare(
  petition: Petition,
  circulatorId: string,
  key: string,
  input: SignerInput,
  now: Date,
): Prepared {
  return {
    key,
    row: {
      petition_id: petition.id,
      idempotency_key: key,
      request_hash: requestHash(input),
      circulator_id: circulatorId,
      first_name: input.firstName,
      last_name: input.lastName,
      address_line1: input.addressLine1,
      address_line2: input.addressLine2 ?? null,
      city: input.city,
      zip: input.zip,
      county_fips: input.countyFips,
      date_of_birth: input.dateOfBirth ?? null,
      email: input.email ?? null,
      phone: input.phone ?? null,
      signed_at: input.signedAt ? new Date(input.signedAt) : now,
      match_key: matchKey(input),
      status: 'pending',
    },
  };
}

export function assertCirculating(petition: Petition): void {
  if (petition.status !== 'circulating') {
    throw new ConflictError(`The petition is ${petition.status}, not circulating: it takes no signers.`);
  }
}

export function countyError(
  petition: Petition,
  input: { countyFips: string },
  path: string,
): FieldError | undefined {
  return petition.counties.some((c) => c.fips === input.countyFips)
    ? undefined
    : { path, message: `${input.countyFips} is not a county of this petition` };
}

/**
 * Stores signers exactly once each. All are first inserted as originals in one statement; the database's
 * unique indexes turn away a repeated Idempotency-Key (stored once, even under concurrent retries) and a
 * second signature of the same person. Those few are then resolved one by one: a replay of the same
 * body answers 200, another body 422, and a repeat signer is stored as a duplicate of the first.
 */
export async function storeSigners(
  knex: Knex,
  petition: Petition,
  circulatorId: string,
  items: { key: string; input: SignerInput }[],
): Promise<Outcome[]> {
  const now = new Date();
  const prepared = items.map((i) => prepare(petition, circulatorId, i.key, i.input, now));
  const inserted: ReceiptRow[] = prepared.length
    ? await knex('signatures')
        .insert(prepared.map((p) => p.row))
        .onConflict()
        .ignore()
        .returning(RECEIPT)
    : [];
  const byKey = new Map(inserted.map((r) => [r.idempotencyKey, r]));
  const outcomes: Outcome[] = [];
  for (const p of prepared) {
    const row = byKey.get(p.key);
    if (row && row.requestHash === p.row.request_hash) {
      byKey.delete(p.key);
      outcomes.push({ status: 201, signature: toReceipt(row) });
    } else {
      outcomes.push(await resolveConflict(knex, p));
    }
  }
  return outcomes;
}

async function resolveConflict(knex: Knex, p: Prepared): Promise<Outcome> {
  const petitionId = p.row.petition_id as string;
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing: ReceiptRow | undefined = await knex('signatures')
      .where({ petition_id: petitionId, idempotency_key: p.key })
      .first(RECEIPT);
    if (existing) {
      if (existing.requestHash === p.row.request_hash) return { status: 200, signature: toReceipt(existing) };
      return {
        status: 422,
        detail: 'This Idempotency-Key was already used for a different signer.',
        errors: [{ path: 'Idempotency-Key', message: 'already used with a different body' }],
      };
    }
    const original = await knex('signatures')
      .where({ petition_id: petitionId, match_key: p.row.match_key })
      .whereNull('duplicate_of')
      .first('id');
    const row = original ? { ...p.row, status: 'duplicate', duplicate_of: original.id } : p.row;
    const [stored]: ReceiptRow[] = await knex('signatures')
      .insert(row)
      .onConflict()
      .ignore()
      .returning(RECEIPT);
    if (stored) return { status: 201, signature: toReceipt(stored) };
  }
  throw new Error('could not store a signer after repeated conflicts');
}
