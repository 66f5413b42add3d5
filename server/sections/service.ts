import type { Knex } from 'knex';
import { recordAudit, setAuditActor } from '../audit/record';
import { PG, sqlState } from '../db/errors';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, invalid } from '../http/errors';
import type { Petition } from '../petitions/repo';
import { findSection, sectionQuery, toSections, type SectionRow } from './repo';
import type { Section, SectionChange, SectionStatus } from './schemas';

const PURGED = 'The petition was purged: it is final, its sections stay as they are.';

async function assertMember(knex: Knex, petitionId: string, userId: string, path: string): Promise<void> {
  const member = await knex('memberships').where({ petition_id: petitionId, user_id: userId }).first('role');
  if (!member) throw invalid(path, 'must be a member of the petition');
}

/**
 * Issues `count` new sections of a county, numbered after the highest so far. The numbers come from a
 * counter on the petition's row, taken in the same transaction: two issues at once wait for each
 * other and never hand out the same number.
 */
export async function issueSections(
  knex: Knex,
  petition: Petition,
  actorId: string,
  input: { countyFips: string; count: number; circulatorId?: string },
): Promise<Section[]> {
  if (petition.purgedAt) throw new ConflictError(PURGED);
  if (!petition.counties.some((c) => c.fips === input.countyFips))
    throw invalid('countyFips', `${input.countyFips} is not a county of this petition`);
  if (input.circulatorId) await assertMember(knex, petition.id, input.circulatorId, 'circulatorId');
  const rows = await knex.transaction(async (trx) => {
    const [counter] = await trx('petitions')
      .where({ id: petition.id })
      .whereNull('purged_at')
      .increment('sections_issued', input.count)
      .returning('sections_issued');
    if (!counter) throw new ConflictError(PURGED);
    const last = counter.sections_issued as number;
    const first = last - input.count + 1;
    await trx('sections').insert(
      Array.from({ length: input.count }, (_, i) => ({
        petition_id: petition.id,
        number: first + i,
        county_fips: input.countyFips,
        circulator_id: input.circulatorId ?? null,
      })),
    );
    await recordAudit(trx, {
      actorId,
      action: 'sections.issued',
      petitionId: petition.id,
      detail: {
        from: first,
        to: last,
        countyFips: input.countyFips,
        circulatorId: input.circulatorId ?? null,
      },
    });
    return (await sectionQuery(trx, petition.id)
      .whereBetween('s.number', [first, last])
      .orderBy('s.number')) as SectionRow[];
  });
  return toSections(knex, petition.id, rows);
}

/** The moves the contract allows: a status from the statuses it may be reached from. */
const MOVES: Record<'returned' | 'counted' | 'lost' | 'void', SectionStatus[]> = {
  returned: ['issued', 'lost'],
  counted: ['returned'],
  lost: ['issued', 'returned'],
  void: ['issued', 'returned', 'counted'],
};
/** Without a status change, what may be corrected in which statuses. */
const EDITABLE: SectionStatus[] = ['issued', 'returned', 'counted', 'lost'];

export interface SectionActor {
  id: string;
  /** A circulator may only return their own sections. */
  circulatorOnly: boolean;
}

/**
 * Changes a section with one conditional update: it applies only if the section is, at that moment,
 * in a status the move may start from, so two people acting at once cannot both move it. The audit
 * trigger records who and what.
 */
export async function changeSection(
  knex: Knex,
  petition: Petition,
  number: number,
  actor: SectionActor,
  change: SectionChange,
): Promise<Section> {
  if (actor.circulatorOnly) {
    const own = await findSection(knex, petition.id, number, actor.id);
    if (!own) throw new NotFoundError('No such section of yours in this petition.');
    if (Object.keys(change).some((k) => k !== 'status') || change.status !== 'returned')
      throw new ForbiddenError('A circulator can only mark their own section returned.');
  }
  if (change.circulatorId) await assertMember(knex, petition.id, change.circulatorId, 'circulatorId');
  const from = change.status ? MOVES[change.status] : EDITABLE;
  const set: Record<string, unknown> = { updated_at: knex.fn.now() };
  if (change.status) set.status = change.status;
  if (change.status === 'returned') set.returned_at = knex.fn.now();
  if (change.circulatorId !== undefined) set.circulator_id = change.circulatorId;
  if (change.linesCounted !== undefined) set.lines_counted = change.linesCounted;
  if (change.declarationSignedAt !== undefined) set.declaration_signed_at = change.declarationSignedAt;
  if (change.reason !== undefined) set.reason = change.reason;
  // Lines and the declaration date belong to a section that is counted, or is being counted.
  const counting = change.linesCounted !== undefined || change.declarationSignedAt !== undefined;
  const allowed = counting && !change.status ? (['counted'] as SectionStatus[]) : from;

  const row = await knex.transaction(async (trx) => {
    const open = await trx('petitions').where({ id: petition.id }).forShare().first('purged_at');
    if (open?.purged_at) throw new ConflictError(PURGED);
    await setAuditActor(trx, actor.id, { via: 'api' });
    const update = trx('sections').where({ petition_id: petition.id, number }).whereIn('status', allowed);
    if (actor.circulatorOnly) update.where({ circulator_id: actor.id });
    const [updated] = await update
      .update(set)
      .returning('number')
      .catch((err: unknown) => {
        if (
          sqlState(err) === PG.checkViolation &&
          (err as { constraint?: string }).constraint === 'sections_counted_check'
        ) {
          throw new BadRequestError('To count a section, give its linesCounted and declarationSignedAt.', {
            errors: [
              { path: 'linesCounted', message: 'is required to count a section' },
              { path: 'declarationSignedAt', message: 'is required to count a section' },
            ],
          });
        }
        throw err;
      });
    return updated as { number: number } | undefined;
  });
  if (!row) {
    const current = await findSection(knex, petition.id, number);
    if (!current) throw new NotFoundError('No such section in this petition.');
    const what = change.status ? `become ${change.status}` : 'be changed that way';
    throw new ConflictError(`Section ${number} is ${current.status}: it cannot ${what}.`, {
      errors: [
        {
          path: change.status ? 'status' : (Object.keys(change)[0] ?? 'body'),
          message: `the section is ${current.status}`,
        },
      ],
    });
  }
  return (await findSection(knex, petition.id, number)) as Section;
}
