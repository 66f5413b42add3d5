import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { PG, sqlState } from '../db/errors';
import { retryingConflicts } from '../db/retry';
import type { FieldError } from '../http/errors';
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
  | { status: 201 | 200; signature: Receipt }
  | { status: 400 | 409 | 422; detail: string; errors: FieldError[] };

/** A signer to record, and where errors about it are reported ("signer", or "signatures.3" in a batch). */
export interface SignerItem {
  key: string;
  input: SignerInput;
  at: string;
  /** Where an error about its key is reported ("Idempotency-Key", or "signatures.3.idempotencyKey"). */
  keyAt: string;
}

interface Prepared {
  item: SignerItem;
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
  // Signers sent before sections existed hash as they always did.
  if (input.sectionNumber != null) canonical.push(String(input.sectionNumber), String(input.line));
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

function prepare(petition: Petition, circulatorId: string, item: SignerItem, now: Date): Prepared {
  const { input } = item;
  return {
    item,
    row: {
      petition_id: petition.id,
      idempotency_key: item.key,
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
      section_number: input.sectionNumber ?? null,
      line: input.line ?? null,
      status: 'pending',
    },
  };
}

/** Why the petition takes no new signers, or undefined while it does. */
export function closedBecause(petition: Petition): string | undefined {
  if (petition.purgedAt) return 'The petition was purged: it is final and takes no signers.';
  if (petition.status !== 'circulating')
    return `The petition is ${petition.status}, not circulating: it takes no signers.`;
  return undefined;
}

const closed = (item: SignerItem, detail: string): Outcome => ({
  status: 409,
  detail,
  errors: [{ path: item.at, message: 'the petition is not taking signers' }],
});

const notACounty = (item: SignerItem): Outcome => {
  const path = `${item.at}.countyFips`;
  const message = `${item.input.countyFips} is not a county of this petition`;
  return { status: 400, detail: `${path}: ${message}`, errors: [{ path, message }] };
};

/** The answer for a key that is already stored: the same signer from the same account, or 422. */
function replayOf(row: ReceiptRow, item: SignerItem, circulatorId: string, hash: string): Outcome {
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

type SectionInfo = { county: string; status: string };

/** The sections the items name, by number. */
async function sectionsOf(
  knex: Knex,
  petitionId: string,
  items: SignerItem[],
): Promise<Map<number, SectionInfo>> {
  const numbers = [...new Set(items.map((i) => i.input.sectionNumber).filter((n): n is number => n != null))];
  if (!numbers.length) return new Map();
  const rows = await knex('sections')
    .where({ petition_id: petitionId })
    .whereIn('number', numbers)
    .select('number', 'county_fips as county', 'status');
  return new Map(
    rows.map((r) => [r.number as number, { county: r.county as string, status: r.status as string }]),
  );
}

/** A signer's section must exist in the petition, be of the signer's county and not be void. */
function sectionRefusal(item: SignerItem, sections: Map<number, SectionInfo>): Outcome | undefined {
  const number = item.input.sectionNumber;
  if (number == null) return undefined;
  const section = sections.get(number);
  const refuse = (status: 400 | 409, field: string, message: string): Outcome => {
    const path = `${item.at}.${field}`;
    return { status, detail: `${path}: ${message}`, errors: [{ path, message }] };
  };
  if (!section) return refuse(400, 'sectionNumber', `there is no section ${number} in this petition`);
  if (section.county !== item.input.countyFips)
    return refuse(400, 'countyFips', `section ${number} is of county ${section.county}`);
  if (section.status === 'void') return refuse(409, 'sectionNumber', `section ${number} is void`);
  return undefined;
}

const lineTaken = (item: SignerItem): Outcome => {
  const path = `${item.at}.line`;
  const message = `line ${item.input.line} of section ${item.input.sectionNumber} holds another signer`;
  return { status: 409, detail: `${path}: ${message}`, errors: [{ path, message }] };
};

async function storedUnder(knex: Knex, petitionId: string, keys: string[]): Promise<Map<string, ReceiptRow>> {
  if (!keys.length) return new Map();
  const rows: ReceiptRow[] = await knex('signatures')
    .where({ petition_id: petitionId })
    .whereIn('idempotency_key', [...new Set(keys)])
    .select(RECEIPT);
  return new Map(rows.map((r) => [r.idempotencyKey, r]));
}

/**
 * Records signers as the contract orders it: a key already stored is answered from what was stored
 * (so a replay stays acknowledged after the petition stops circulating); then a closed
 * petition refuses the rest, and a county outside the petition refuses its signer; the others are
 * stored exactly once each.
 */
export async function recordSigners(
  knex: Knex,
  petition: Petition,
  circulatorId: string,
  items: SignerItem[],
): Promise<Outcome[]> {
  // A purged petition answers nothing from its signers, replays included: they are erased.
  if (petition.purgedAt) return items.map((i) => closed(i, closedBecause(petition) as string));
  const stored = await storedUnder(
    knex,
    petition.id,
    items.map((i) => i.key),
  );
  const outcomes = new Map<SignerItem, Outcome>();
  for (const item of items) {
    const row = stored.get(item.key);
    if (row) outcomes.set(item, replayOf(row, item, circulatorId, requestHash(item.input)));
  }
  const fresh = items.filter((i) => !outcomes.has(i));
  const reason = closedBecause(petition);
  const counties = new Set(petition.counties.map((c) => c.fips));
  const sections = await sectionsOf(knex, petition.id, fresh);
  const toStore: SignerItem[] = [];
  for (const item of fresh) {
    const refusal = reason
      ? closed(item, reason)
      : !counties.has(item.input.countyFips)
        ? notACounty(item)
        : sectionRefusal(item, sections);
    if (refusal) outcomes.set(item, refusal);
    else toStore.push(item);
  }
  const results = await storeSigners(knex, petition, circulatorId, toStore);
  toStore.forEach((item, i) => outcomes.set(item, results[i] as Outcome));
  return items.map((i) => outcomes.get(i) as Outcome);
}

/**
 * Stores signers exactly once each. All are first inserted as originals in one statement, in the order
 * of their match keys (so that two batches with the same people wait for each other instead of
 * deadlocking); the database's unique indexes turn away a repeated Idempotency-Key (stored once, even
 * under concurrent retries) and a second signature of the same person. Those few are then resolved one
 * by one. The database also refuses a county just removed from the petition and a petition just
 * closed; those items are answered 400 and 409.
 */
export async function storeSigners(
  knex: Knex,
  petition: Petition,
  circulatorId: string,
  items: SignerItem[],
): Promise<Outcome[]> {
  const now = new Date();
  const outcomes = new Map<SignerItem, Outcome>();
  // In match-key order; the same person twice in one batch keeps the batch's order (the first is the original).
  let pending = items
    .map((item, index) => ({ ...prepare(petition, circulatorId, item, now), index }))
    .sort((a, b) => compareKeys(a.row.match_key as string, b.row.match_key as string) || a.index - b.index);
  for (let attempt = 0; pending.length && attempt < 3; attempt++) {
    let inserted: ReceiptRow[];
    try {
      inserted = await insertAll(knex, pending);
    } catch (err) {
      const refusal = refusalOf(err);
      if (refusal === 'closed') {
        for (const p of pending) outcomes.set(p.item, closed(p.item, CLOSED_NOW));
        pending = [];
        continue;
      }
      if (refusal === 'void') {
        // A section was voided since it was read: refuse its signers, store the others.
        const sections = await sectionsOf(
          knex,
          petition.id,
          pending.map((p) => p.item),
        );
        const refused = pending.filter((p) => sectionRefusal(p.item, sections));
        for (const p of refused) outcomes.set(p.item, sectionRefusal(p.item, sections) as Outcome);
        pending = pending.filter((p) => !refused.includes(p));
        continue;
      }
      if (refusal !== 'county') throw err;
      // A county was removed since the petition was read: refuse its signers, store the others.
      const live = await liveCounties(knex, petition.id, pending);
      for (const p of pending)
        if (!live.has(p.row.county_fips as string)) outcomes.set(p.item, notACounty(p.item));
      pending = pending.filter((p) => live.has(p.row.county_fips as string));
      continue;
    }
    const byKey = new Map(inserted.map((r) => [r.idempotencyKey, r]));
    for (const p of pending) {
      const row = byKey.get(p.item.key);
      if (row && row.requestHash === p.row.request_hash) {
        byKey.delete(p.item.key);
        outcomes.set(p.item, { status: 201, signature: toReceipt(row) });
      } else {
        outcomes.set(p.item, await resolveConflict(knex, p, circulatorId));
      }
    }
    pending = [];
  }
  if (pending.length) throw new Error('could not store signers after repeated conflicts');
  return items.map((i) => outcomes.get(i) as Outcome);
}

const CLOSED_NOW = 'The petition is no longer circulating: it takes no signers.';

/** What the database refused an insert for, when it is the request's and not the database's fault. */
function refusalOf(err: unknown): 'closed' | 'void' | 'county' | undefined {
  const code = sqlState(err);
  if (code === PG.petitionClosed) return 'closed';
  if (code === PG.sectionVoid) return 'void';
  if (code === PG.foreignKeyViolation) return 'county';
  return undefined;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function insertAll(knex: Knex, prepared: Prepared[]): Promise<ReceiptRow[]> {
  return retryingConflicts(() =>
    knex('signatures')
      .insert(prepared.map((p) => p.row))
      .onConflict()
      .ignore()
      .returning(RECEIPT),
  );
}

async function liveCounties(knex: Knex, petitionId: string, prepared: Prepared[]): Promise<Set<string>> {
  const wanted = [...new Set(prepared.map((p) => p.row.county_fips as string))];
  const rows = await knex('petition_counties')
    .where({ petition_id: petitionId })
    .whereIn('fips', wanted)
    .pluck('fips');
  return new Set(rows as string[]);
}

async function resolveConflict(knex: Knex, p: Prepared, circulatorId: string): Promise<Outcome> {
  const petitionId = p.row.petition_id as string;
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing: ReceiptRow | undefined = await knex('signatures')
      .where({ petition_id: petitionId, idempotency_key: p.item.key })
      .first(RECEIPT);
    if (existing) return replayOf(existing, p.item, circulatorId, p.row.request_hash as string);
    if (p.item.input.sectionNumber != null) {
      const onLine = await knex('signatures')
        .where({
          petition_id: petitionId,
          section_number: p.item.input.sectionNumber,
          line: p.item.input.line,
        })
        .first('id');
      if (onLine) return lineTaken(p.item);
    }
    const original = await knex('signatures')
      .where({ petition_id: petitionId, match_key: p.row.match_key })
      .whereNull('duplicate_of')
      .first('id');
    const row = original ? { ...p.row, status: 'duplicate', duplicate_of: original.id } : p.row;
    let stored: ReceiptRow | undefined;
    try {
      [stored] = await insertAll(knex, [{ ...p, row }]);
    } catch (err) {
      const refusal = refusalOf(err);
      if (refusal === 'closed') return closed(p.item, CLOSED_NOW);
      if (refusal === 'county') return notACounty(p.item);
      if (refusal === 'void')
        return sectionRefusal(p.item, await sectionsOf(knex, petitionId, [p.item])) ?? notACounty(p.item);
      throw err;
    }
    if (stored) return { status: 201, signature: toReceipt(stored) };
  }
  throw new Error('could not store a signer after repeated conflicts');
}
