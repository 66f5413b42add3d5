import type { Knex } from 'knex';
import { recordAudit } from '../audit/record';
import type { PetitionRole } from '../auth/roles';
import { countiesOfState } from '../counties/sync';
import { PG, sqlState } from '../db/errors';
import type { ChangeBus } from '../events/bus';
import { BadRequestError, ConflictError, NotFoundError } from '../http/errors';
import type { PetitionCache } from './cache';
import { listVisiblePetitions, loadPetition, type Petition } from './repo';
import type { CreatePetitionInput, UpdatePetitionInput } from './schemas';

interface Deps {
  knex: Knex;
  bus: ChangeBus;
  petitions: PetitionCache;
}

type PetitionFields = Partial<Omit<CreatePetitionInput, 'counties' | 'state'>>;

/** The petitions columns for the given fields (undefined ones left out). */
function petitionColumns(input: PetitionFields): Record<string, unknown> {
  const columns: Record<string, unknown> = {
    slug: input.slug,
    title: input.title,
    summary: input.summary,
    measure_type: input.measureType,
    signatures_required: input.signaturesRequired,
    circulation_start: input.circulationStart,
    deadline: input.deadline,
    assumed_validity_rate: input.assumedValidityRate,
    public: input.public,
    status: input.status,
    distribution: input.distribution === undefined ? undefined : JSON.stringify(input.distribution),
  };
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined));
}

function slugTaken(err: { code?: string }): never {
  if (sqlState(err) === PG.uniqueViolation) {
    throw new ConflictError('A petition with this slug exists.', {
      errors: [{ path: 'slug', message: 'already taken' }],
    });
  }
  throw err;
}

export function slugify(title: string): string {
  const base = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return base.length >= 3 ? base : `petition-${base || 'new'}`;
}

async function checkCounties(knex: Knex, state: string, list: { fips: string }[]): Promise<void> {
  const known = new Set((await countiesOfState(knex, state)).map((c) => c.fips));
  const errors = list
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => !known.has(c.fips))
    .map(({ c, i }) => ({ path: `counties.${i}.fips`, message: `${c.fips} is not a county of ${state}` }));
  if (errors.length) throw new BadRequestError('Some counties are not in the petition’s state.', { errors });
}

export async function createPetition(
  deps: Deps,
  actorId: string,
  input: CreatePetitionInput,
): Promise<Petition> {
  const { knex } = deps;
  const stateCounties = await countiesOfState(knex, input.state);
  if (!stateCounties.length) {
    throw new BadRequestError(`Unknown state ${input.state}.`, {
      errors: [{ path: 'state', message: 'unknown state' }],
    });
  }
  const counties = input.counties ?? stateCounties.map((c) => ({ fips: c.fips, target: null }));
  if (input.counties) await checkCounties(knex, input.state, input.counties);
  const slug = input.slug ?? `${slugify(input.title)}-${Date.now().toString(36).slice(-4)}`;

  const id = await knex.transaction(async (trx) => {
    const [row] = await trx('petitions')
      .insert({ ...petitionColumns({ ...input, slug }), state: input.state, created_by: actorId })
      .returning('id')
      .catch(slugTaken);
    await trx('petition_counties').insert(
      counties.map((c) => ({ petition_id: row.id, fips: c.fips, target: c.target ?? null })),
    );
    await recordAudit(trx, { actorId, action: 'petition.created', petitionId: row.id });
    return row.id as string;
  });
  return (await loadPetition(knex, id)) as Petition;
}

export async function updatePetition(
  deps: Deps,
  actorId: string,
  petition: Petition,
  input: UpdatePetitionInput,
): Promise<Petition> {
  const { knex } = deps;
  if (input.counties) await checkCounties(knex, petition.state, input.counties);
  const start = input.circulationStart ?? petition.circulationStart;
  const deadline = input.deadline ?? petition.deadline;
  if (deadline < start) {
    throw new BadRequestError('The deadline is before the start of circulation.', {
      errors: [{ path: 'deadline', message: 'must not be before circulationStart' }],
    });
  }
  const changes = petitionColumns(input);

  await knex.transaction(async (trx) => {
    const update = trx('petitions')
      .where({ id: petition.id })
      .update({ ...changes, updated_at: trx.fn.now() })
      .returning('id');
    // A purged petition is final: its status and counties stay as they were when it was purged.
    if (input.status !== undefined || input.counties) update.whereNull('purged_at');
    const [row] = await update.catch(slugTaken);
    if (!row) throw new ConflictError('The petition was purged: it is final, its status and counties stay.');
    if (input.counties) await replaceCounties(trx, petition.id, input.counties);
    await recordAudit(trx, {
      actorId,
      action: 'petition.updated',
      petitionId: petition.id,
      detail: { fields: Object.keys(input) },
    });
  });
  deps.bus.publish({ kind: 'petition', id: petition.id });
  return (await loadPetition(knex, petition.id)) as Petition;
}

/**
 * Sets the petition's counties and targets. A county that has signers or sections cannot be dropped:
 * the database refuses it (also for a signer being stored at this moment), and the refusal names it.
 */
async function replaceCounties(
  trx: Knex.Transaction,
  petitionId: string,
  counties: { fips: string; target?: number | null }[],
): Promise<void> {
  const keep = counties.map((c) => c.fips);
  await trx('petition_counties')
    .where({ petition_id: petitionId })
    .whereNotIn('fips', keep)
    .delete()
    .catch((err: unknown) => {
      if (sqlState(err) !== PG.foreignKeyViolation) throw err;
      const fips = /\(petition_id, fips\)=\([^,]+, (\d{5})\)/.exec(
        (err as { detail?: string }).detail ?? '',
      )?.[1];
      const which = fips ? `County ${fips} has` : 'A county being removed has';
      throw new ConflictError(`${which} signers or sections and cannot be removed.`, {
        errors: [
          {
            path: 'counties',
            message: fips ? `must keep ${fips}` : 'must keep every county with signers or sections',
          },
        ],
      });
    });
  await trx('petition_counties')
    .insert(counties.map((c) => ({ petition_id: petitionId, fips: c.fips, target: c.target ?? null })))
    .onConflict(['petition_id', 'fips'])
    .merge(['target']);
}

export async function visiblePetitions(deps: Deps, user: Express.User | undefined): Promise<Petition[]> {
  const ids = await listVisiblePetitions(deps.knex, user);
  const found = await Promise.all(ids.map((row) => deps.petitions.find(row.id)));
  return found.filter((p): p is Petition => p !== undefined);
}

export async function setMember(
  deps: Deps,
  actorId: string,
  petitionId: string,
  who: { userId: string } | { email: string },
  role: PetitionRole,
) {
  const { knex } = deps;
  const query = knex('users');
  if ('userId' in who) query.where({ id: who.userId });
  else query.whereRaw('lower(email) = lower(?)', [who.email]);
  const user = await query.first('id', 'name', 'email');
  if (!user) throw new NotFoundError('userId' in who ? 'No such user.' : 'No user has that email address.');
  const userId = user.id as string;
  await knex.transaction(async (trx) => {
    await trx('memberships')
      .insert({ petition_id: petitionId, user_id: userId, role })
      .onConflict(['petition_id', 'user_id'])
      .merge(['role']);
    await recordAudit(trx, {
      actorId,
      action: 'membership.set',
      petitionId,
      subjectId: userId,
      detail: { role },
    });
  });
  deps.bus.publish({ kind: 'identity', id: userId });
  return { petitionId, userId, role, name: user.name as string, email: user.email as string };
}

export async function removeMember(
  deps: Deps,
  actorId: string,
  petitionId: string,
  userId: string,
): Promise<void> {
  const removed = await deps.knex.transaction(async (trx) => {
    const n = await trx('memberships').where({ petition_id: petitionId, user_id: userId }).delete();
    if (n) await recordAudit(trx, { actorId, action: 'membership.removed', petitionId, subjectId: userId });
    return n;
  });
  if (!removed) throw new NotFoundError('This user is not a member of the petition.');
  deps.bus.publish({ kind: 'identity', id: userId });
}

export async function listMembers(deps: Deps, petitionId: string) {
  return deps
    .knex('memberships as m')
    .join('users as u', 'u.id', 'm.user_id')
    .where('m.petition_id', petitionId)
    .orderBy(['m.role', 'u.name'])
    .select('m.petition_id as petitionId', 'm.user_id as userId', 'm.role', 'u.name', 'u.email');
}
