import type { Knex } from 'knex';
import { recordAudit } from '../audit/record';
import { ConflictError } from '../http/errors';
import type { Petition } from '../petitions/repo';

/**
 * Erases signers' personal data once a petition is decided (qualified or failed), keeping every count:
 * status, county and signing time stay, so tallies, progress and samples are unchanged. From the first
 * step on the petition is final (no status change, no intake); running it again finishes an erasure
 * that was cut short.
 */
export async function purgePersonalData(knex: Knex, petition: Petition, actorId: string) {
  // 1. Final from now on: the database refuses new signers and the app refuses status changes.
  const [marked] = await knex('petitions')
    .where({ id: petition.id })
    .whereIn('status', ['qualified', 'failed'])
    .update({ purged_at: knex.raw('coalesce(purged_at, now())') })
    .returning('status');
  if (!marked) {
    throw new ConflictError(
      `The petition is ${petition.status}: signer data is kept until it is qualified or failed.`,
    );
  }
  // 2. Waits out any signer insert that began before step 1 and could still commit after it.
  await knex.transaction(async (trx) => {
    await trx.raw('lock table signatures in share mode');
  });
  // 3. Erases; the request hash goes too (it is derived from the signer's name and address).
  return knex.transaction(async (trx) => {
    const erased = await trx('signatures')
      .where({ petition_id: petition.id })
      .where((w) => w.whereNotNull('match_key').orWhereNot('request_hash', 'purged'))
      .update({
        first_name: null,
        last_name: null,
        address_line1: null,
        address_line2: null,
        city: null,
        zip: null,
        date_of_birth: null,
        email: null,
        phone: null,
        match_key: null,
        request_hash: 'purged',
        updated_at: trx.fn.now(),
      });
    await trx('review_items').where({ petition_id: petition.id }).delete();
    // The sheets' scans show the signers' names and addresses: they go with the rest.
    const scans = await trx('section_scans').where({ petition_id: petition.id }).delete();
    await recordAudit(trx, {
      actorId,
      action: 'petition.purged',
      petitionId: petition.id,
      detail: { signers: erased, scans },
    });
    return { erased };
  });
}
