import type { Knex } from 'knex';
import { recordAudit, setAuditActor } from '../audit/record';
import { ConflictError, NotFoundError } from '../http/errors';
import { isoTime } from '../http/schemas';
import type { Petition } from '../petitions/repo';
import { csvDocument } from '../tallies/csv';

export interface Filing {
  id: string;
  countyFips: string;
  sections: number;
  lines: number;
  createdAt: string;
}

const FILING = ['id', 'county_fips as countyFips', 'sections', 'lines', 'created_at as createdAt'];
const toFiling = (row: Omit<Filing, 'createdAt'> & { createdAt: Date | string }): Filing => ({
  ...row,
  createdAt: isoTime(row.createdAt),
});

/** Why each listed section that was not moved could not be filed. */
async function refusals(
  knex: Knex,
  petitionId: string,
  countyFips: string,
  numbers: number[],
  moved: Set<number>,
) {
  const missing = numbers.filter((n) => !moved.has(n));
  const found = await knex('sections')
    .where({ petition_id: petitionId })
    .whereIn('number', missing)
    .select('number', 'status', 'county_fips');
  const byNumber = new Map(found.map((s) => [s.number as number, s]));
  return missing.map((n) => {
    const s = byNumber.get(n);
    const message = !s
      ? `section ${n} does not exist`
      : s.county_fips !== countyFips
        ? `section ${n} is of county ${s.county_fips}`
        : `section ${n} is ${s.status}, not counted`;
    return { path: `sections.${numbers.indexOf(n)}`, message };
  });
}

/**
 * Files counted sections of one county in one step: every listed section moves to `filed` in one
 * conditional update, or, if any is not counted or of another county, none does (409 naming each).
 */
export async function fileSections(
  knex: Knex,
  petition: Petition,
  actorId: string,
  input: { countyFips: string; sections: number[] },
): Promise<Filing> {
  return knex.transaction(async (trx) => {
    const open = await trx('petitions').where({ id: petition.id }).forShare().first('purged_at');
    if (open?.purged_at) throw new ConflictError('The petition was purged: it is final.');
    await setAuditActor(trx, actorId, { via: 'filing' });
    const [filing] = await trx('section_filings')
      .insert({
        petition_id: petition.id,
        county_fips: input.countyFips,
        sections: 0,
        lines: 0,
        created_by: actorId,
      })
      .returning('id');
    const moved: { number: number; lines_counted: number }[] = await trx('sections')
      .where({ petition_id: petition.id, county_fips: input.countyFips, status: 'counted' })
      .whereIn('number', input.sections)
      .update({ status: 'filed', filed_at: trx.fn.now(), filing_id: filing.id, updated_at: trx.fn.now() })
      .returning(['number', 'lines_counted']);
    if (moved.length !== input.sections.length) {
      const errors = await refusals(
        trx,
        petition.id,
        input.countyFips,
        input.sections,
        new Set(moved.map((m) => m.number)),
      );
      throw new ConflictError(
        'Only counted sections of the filing’s county can be filed: nothing was filed.',
        { errors },
      );
    }
    const lines = moved.reduce((sum, m) => sum + m.lines_counted, 0);
    const [row] = await trx('section_filings')
      .where({ id: filing.id })
      .update({ sections: moved.length, lines })
      .returning(FILING);
    await recordAudit(trx, {
      actorId,
      action: 'filing.created',
      petitionId: petition.id,
      subjectId: filing.id,
      detail: { countyFips: input.countyFips, sections: moved.length, lines },
    });
    return toFiling(row);
  });
}

export async function listFilings(knex: Knex, petitionId: string): Promise<Filing[]> {
  const rows = await knex('section_filings')
    .where({ petition_id: petitionId })
    .orderBy('created_at', 'desc')
    .select(FILING);
  return rows.map(toFiling);
}

export async function findFiling(knex: Knex, petitionId: string, id: string): Promise<Filing> {
  const row = await knex('section_filings').where({ petition_id: petitionId, id }).first(FILING);
  if (!row) throw new NotFoundError('No such filing of this petition.');
  return toFiling(row);
}

export const MANIFEST_HEADER = [
  'section',
  'county_fips',
  'county',
  'circulator',
  'lines_counted',
  'lines_entered',
  'declaration_signed_at',
];

/** The manifest handed in with a filing: one row per section, then TOTAL (RFC 4180, formula-safe). */
export async function filingManifest(knex: Knex, petition: Petition, filing: Filing): Promise<string> {
  const rows = await knex('sections as s')
    .leftJoin('users as u', 'u.id', 's.circulator_id')
    .where({ 's.petition_id': petition.id, 's.filing_id': filing.id })
    .orderBy('s.number')
    .select(
      's.number',
      's.lines_counted as linesCounted',
      's.declaration_signed_at as declarationSignedAt',
      'u.name as circulator',
      knex
        .raw(
          '(select count(*)::int from signatures g where g.petition_id = s.petition_id and g.section_number = s.number)',
        )
        .wrap('(', ') as "linesEntered"'),
    );
  const county = petition.counties.find((c) => c.fips === filing.countyFips)?.name ?? '';
  const cells = rows.map((r) => [
    r.number,
    filing.countyFips,
    county,
    r.circulator ?? '',
    r.linesCounted,
    r.linesEntered,
    r.declarationSignedAt,
  ]);
  const entered = rows.reduce((sum, r) => sum + (r.linesEntered as number), 0);
  cells.push(['TOTAL', filing.countyFips, county, '', filing.lines, entered, '']);
  return csvDocument(MANIFEST_HEADER, cells);
}
