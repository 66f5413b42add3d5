import type { Knex } from 'knex';
import type { FieldError } from '../http/errors';
import type { Petition } from '../petitions/repo';
import { unlessStored } from './receipts';
import { closed, notACounty, sectionRefusal, sectionsOf } from './refusals';
import type { SignerInput } from './schemas';
import { storeSigners } from './store';

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

/** Why the petition takes no new signers, or undefined while it does. */
export function closedBecause(petition: Petition): string | undefined {
  if (petition.purgedAt) return 'The petition was purged: it is final and takes no signers.';
  if (petition.status !== 'circulating')
    return `The petition is ${petition.status}, not circulating: it takes no signers.`;
  return undefined;
}

/**
 * Records signers as the contract orders it: a key already stored is answered from what was stored
 * (so a replay stays acknowledged after the petition stops circulating, looked up only for what is
 * refused; the others are found by their key's conflict on insert); then a closed
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
  const reason = closedBecause(petition);
  const counties = new Set(petition.counties.map((c) => c.fips));
  const sections = await sectionsOf(knex, petition.id, items);
  const refused: { item: SignerItem; outcome: Outcome }[] = [];
  const toStore: SignerItem[] = [];
  for (const item of items) {
    const outcome = reason
      ? closed(item, reason)
      : !counties.has(item.input.countyFips)
        ? notACounty(item)
        : sectionRefusal(item, sections);
    if (outcome) refused.push({ item, outcome });
    else toStore.push(item);
  }
  // The rest are inserted at once; a replay among them is found by its key's conflict in the store.
  const outcomes = refused.length
    ? await unlessStored(knex, petition.id, circulatorId, refused)
    : new Map<SignerItem, Outcome>();
  const results = await storeSigners(knex, petition, circulatorId, toStore);
  toStore.forEach((item, i) => outcomes.set(item, results[i] as Outcome));
  return items.map((i) => outcomes.get(i) as Outcome);
}
