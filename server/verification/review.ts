import type { Knex } from 'knex';
import { recordAudit } from '../audit/record';
import { SIGNER_KEYS_SQL } from './voter-row';

const CANDIDATES_PER_SIGNER = 10;

/**
 * Pending signers a person must decide (several candidates or a near miss), oldest first, each with the
 * voter records that could be them. Reading it is audited like any read of signer lists.
 */
export async function reviewQueue(
  knex: Knex,
  petition: { id: string; state: string },
  actorId: string,
  limit: number,
) {
  const items = await knex('review_items as r')
    .join('signatures as s', (j) => j.on('s.petition_id', 'r.petition_id').andOn('s.id', 'r.signature_id'))
    .where({ 'r.petition_id': petition.id, 's.status': 'pending' })
    .orderBy([{ column: 's.created_at' }, { column: 's.id' }])
    .limit(limit)
    .select(
      's.id',
      'r.reason',
      'r.run_id as runId',
      's.first_name as firstName',
      's.last_name as lastName',
      's.address_line1 as addressLine1',
      's.address_line2 as addressLine2',
      's.city',
      's.zip',
      's.county_fips as countyFips',
      's.date_of_birth as dateOfBirth',
      knex.raw(`${SIGNER_KEYS_SQL.addressKey} as address_key`),
      knex.raw(`${SIGNER_KEYS_SQL.nameZipKey} as name_zip_key`),
      's.match_key',
    );
  const out = [];
  for (const { address_key, name_zip_key, match_key, ...item } of items) {
    const candidates = await knex('voters')
      .where({ state: petition.state })
      .where((w) => w.where({ match_key }).orWhere({ address_key }).orWhere({ name_zip_key }))
      .limit(CANDIDATES_PER_SIGNER)
      .select(
        'voter_id as voterId',
        'first_name as firstName',
        'middle_name as middleName',
        'last_name as lastName',
        'house_number as houseNumber',
        'street',
        'unit',
        'city',
        'zip',
        'county_fips as countyFips',
        'date_of_birth as dateOfBirth',
        'status',
      );
    out.push({ ...item, candidates });
  }
  await recordAudit(knex, {
    actorId,
    action: 'review.listed',
    petitionId: petition.id,
    detail: { rows: out.length },
  });
  return { items: out };
}
