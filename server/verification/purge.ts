import type { Knex } from 'knex';
import { recordAudit } from '../audit/record';
import { ConflictError } from '../http/errors';
import type { Petition } from '../petitions/repo';

/**
 * Erases signers' personal data once a petition is decided (qualified or failed), keeping every count:
 * status, county and signing time stay, so tallies, progress and samples are unchanged.
 */
export async function purgePersonalData(knex: Knex, petition: Petition, actorId: string) {
  if (petition.status !== 'qualified' && petition.status !== 'failed') {
    throw new ConflictError(
      `The petition is ${petition.status}: signer data is kept until it is qualified or failed.`,
    );
  }
  return knex.transaction(async (trx) => {
    const erased = await trx('signatures')
      .where({ petition_id: petition.id })
      .whereNotNull('match_key')
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
        updated_at: trx.fn.now(),
      });
    await trx('review_items').where({ petition_id: petition.id }).delete();
    await trx('petitions').where({ id: petition.id }).update({ purged_at: trx.fn.now() });
    await recordAudit(trx, {
      actorId,
      action: 'petition.purged',
      petitionId: petition.id,
      detail: { signers: erased },
    });
    return { erased };
  });
}
