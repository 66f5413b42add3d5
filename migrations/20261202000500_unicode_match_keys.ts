import type { Knex } from 'knex';
import { matchKey } from '../server/signatures/normalize';
import { voterKeys } from '../server/verification/voter-row';

/*
 * Names and addresses are now normalized in every script (server/signatures/normalize.ts): before,
 * letters outside Latin were dropped, so two different people with names in, say, Chinese at one
 * address shared a key and the second was stored as a duplicate of the first; and ø, ł, ß were dropped
 * instead of folded. The keys of every signer and voter with text beyond ASCII are computed again, and
 * a signer wrongly stored as a duplicate is repaired: it becomes the duplicate of the right person, or
 * an original again (pending). Status changes go through the usual triggers (tallies, audit log).
 */
const NON_ASCII = `~ '[^\\x01-\\x7e]'`;

interface SignerRow {
  id: string;
  petition_id: string;
  first_name: string;
  last_name: string;
  address_line1: string;
  address_line2: string | null;
  zip: string;
  match_key: string;
  duplicate_of: string | null;
}

export async function up(knex: Knex): Promise<void> {
  await repairSigners(knex);
  await rekeyVoters(knex);
}

async function repairSigners(knex: Knex): Promise<void> {
  const rows: SignerRow[] = await knex('signatures')
    .whereNotNull('match_key')
    .whereRaw(`concat_ws(' ', first_name, last_name, address_line1, address_line2) ${NON_ASCII}`)
    .orderBy(['petition_id', 'created_at', 'id'])
    .select(
      'id',
      'petition_id',
      'first_name',
      'last_name',
      'address_line1',
      'address_line2',
      'zip',
      'match_key',
      'duplicate_of',
    );
  if (!rows.length) return;
  await knex.transaction(async (trx) => {
    await trx.raw("select set_config('app.audit_context', ?, true)", [
      JSON.stringify({ via: 'migration', reason: 'names in every script are told apart' }),
    ]);
    const keyOf = (r: SignerRow) =>
      matchKey({
        firstName: r.first_name,
        lastName: r.last_name,
        addressLine1: r.address_line1,
        addressLine2: r.address_line2,
        zip: r.zip,
      });
    /** The original (first signer) holding `key` in the petition, after the changes made so far. */
    const originalOf = async (petitionId: string, key: string) =>
      (
        await trx('signatures')
          .where({ petition_id: petitionId, match_key: key })
          .whereNull('duplicate_of')
          .first('id')
      )?.id as string | undefined;

    // Originals first, so that the duplicates below find them under their new keys.
    for (const r of rows.filter((row) => row.duplicate_of === null)) {
      const key = keyOf(r);
      // Another original already holds the new key: keep the old one rather than change anyone's status.
      if (key === r.match_key || (await originalOf(r.petition_id, key))) continue;
      await trx('signatures').where({ petition_id: r.petition_id, id: r.id }).update({ match_key: key });
    }
    for (const r of rows.filter((row) => row.duplicate_of !== null)) {
      const key = keyOf(r);
      const original = await originalOf(r.petition_id, key);
      if (original === r.duplicate_of && key === r.match_key) continue;
      const change = original
        ? { match_key: key, duplicate_of: original }
        : { match_key: key, duplicate_of: null, status: 'pending', reason: null };
      await trx('signatures')
        .where({ petition_id: r.petition_id, id: r.id })
        .update({ ...change, updated_at: trx.fn.now() });
    }
  });
}

async function rekeyVoters(knex: Knex): Promise<void> {
  const voters = await knex('voters')
    .whereRaw(`concat_ws(' ', first_name, last_name, house_number, street, unit) ${NON_ASCII}`)
    .select(
      'state',
      'voter_id',
      'first_name as firstName',
      'last_name as lastName',
      'house_number as houseNumber',
      'street',
      'unit',
      'zip',
    );
  for (const v of voters) {
    const keys = voterKeys(v);
    await knex('voters')
      .where({ state: v.state, voter_id: v.voter_id })
      .update({ match_key: keys.match, address_key: keys.address, name_zip_key: keys.nameZip });
  }
}

export async function down(): Promise<void> {
  // The old keys lost information (the letters they dropped); there is nothing to go back to.
}
