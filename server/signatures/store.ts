import type { Knex } from 'knex';
import { PG, sqlState } from '../db/errors';
import { retryingConflicts } from '../db/retry';
import type { Petition } from '../petitions/repo';
import type { Outcome, SignerItem } from './intake';
import { matchKey } from './normalize';
import { RECEIPT, replayOf, requestHash, toReceipt, unlessStored, type ReceiptRow } from './receipts';
import { closed, lineTaken, notACounty, sectionRefusal, sectionsOf } from './refusals';

interface Prepared {
  item: SignerItem;
  row: Record<string, unknown>;
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
      if (!refusal) throw err;
      // The database refused some of them (the petition closed, a section voided, a county removed
      // since the petition was read): answer those, and store the others on the next turn.
      const refuse = await refusalsFor(knex, petition, refusal, pending);
      const answers = await unlessStored(knex, petition.id, circulatorId, refuse);
      for (const [item, outcome] of answers) outcomes.set(item, outcome);
      pending = pending.filter((p) => !answers.has(p.item));
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

/** Which pending items the database's refusal is about, each with its answer. */
async function refusalsFor(
  knex: Knex,
  petition: Petition,
  refusal: 'closed' | 'void' | 'county',
  pending: Prepared[],
): Promise<{ item: SignerItem; outcome: Outcome }[]> {
  if (refusal === 'closed')
    return pending.map((p) => ({ item: p.item, outcome: closed(p.item, CLOSED_NOW) }));
  if (refusal === 'void') {
    const sections = await sectionsOf(
      knex,
      petition.id,
      pending.map((p) => p.item),
    );
    return pending.flatMap((p) => {
      const outcome = sectionRefusal(p.item, sections);
      return outcome ? [{ item: p.item, outcome }] : [];
    });
  }
  const live = await liveCounties(knex, petition.id, pending);
  return pending
    .filter((p) => !live.has(p.row.county_fips as string))
    .map((p) => ({ item: p.item, outcome: notACounty(p.item) }));
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
