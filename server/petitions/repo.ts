import type { Knex } from 'knex';
import type { z } from 'zod';
import { isoTime, uuid } from '../http/schemas';
import type { petitionSchema } from './schemas';

export type Petition = z.infer<typeof petitionSchema>;
export type PetitionCounty = Petition['counties'][number];

const COLUMNS = [
  'id',
  'slug',
  'title',
  'summary',
  'state',
  'measure_type as measureType',
  'signatures_required as signaturesRequired',
  'circulation_start as circulationStart',
  'deadline',
  'assumed_validity_rate as assumedValidityRate',
  'public',
  'status',
  'distribution',
  'purged_at as purgedAt',
];

export async function loadPetition(knex: Knex, ref: string): Promise<Petition | undefined> {
  const byId = uuid.safeParse(ref).success;
  const row = await knex('petitions')
    .where(byId ? { id: ref } : { slug: ref })
    .first(COLUMNS);
  if (!row) return undefined;
  const counties = await knex('petition_counties as pc')
    .join('counties as c', 'c.fips', 'pc.fips')
    .where('pc.petition_id', row.id)
    .orderBy('pc.fips')
    .select('pc.fips', 'c.name', 'pc.target');
  return { ...row, purgedAt: row.purgedAt ? isoTime(row.purgedAt) : null, counties };
}

export async function listVisiblePetitions(
  knex: Knex,
  user: { id: string; isAdmin: boolean } | undefined,
): Promise<{ id: string }[]> {
  const query = knex('petitions')
    .orderBy([{ column: 'created_at', order: 'desc' }, 'id'])
    .select('id');
  if (user?.isAdmin) return query;
  return query.where((w) => {
    w.where('public', true);
    if (user) w.orWhereIn('id', knex('memberships').where('user_id', user.id).select('petition_id'));
  });
}
