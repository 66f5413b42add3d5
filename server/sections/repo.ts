import type { Knex } from 'knex';
import { isoTime } from '../http/schemas';
import type { Section, SectionStatus } from './schemas';

export const SECTION_COLUMNS = [
  's.number',
  's.county_fips as countyFips',
  's.status',
  's.circulator_id as circulatorId',
  's.lines_counted as linesCounted',
  's.declaration_signed_at as declarationSignedAt',
  's.issued_at as issuedAt',
  's.returned_at as returnedAt',
  's.filed_at as filedAt',
  's.filing_id as filingId',
  's.reason',
];

export interface SectionRow {
  number: number;
  countyFips: string;
  status: SectionStatus;
  circulatorId: string | null;
  linesCounted: number | null;
  declarationSignedAt: string | null;
  issuedAt: Date | string;
  returnedAt: Date | string | null;
  filedAt: Date | string | null;
  filingId: string | null;
  reason: string | null;
}

const iso = (v: Date | string | null) => (v ? isoTime(v) : null);

/** Sections as the API shows them, with the signers entered on each and whether a scan is kept. */
export async function toSections(knex: Knex, petitionId: string, rows: SectionRow[]): Promise<Section[]> {
  if (!rows.length) return [];
  const numbers = rows.map((r) => r.number);
  const [entered, scanned] = await Promise.all([
    knex('signatures')
      .where({ petition_id: petitionId })
      .whereIn('section_number', numbers)
      .groupBy('section_number')
      .select('section_number as number', knex.raw('count(*)::int as n')),
    knex('section_scans').where({ petition_id: petitionId }).whereIn('number', numbers).pluck('number'),
  ]);
  const lines = new Map(entered.map((e: { number: number; n: number }) => [e.number, e.n]));
  const scans = new Set(scanned as number[]);
  return rows.map((r) => ({
    ...r,
    issuedAt: isoTime(r.issuedAt),
    returnedAt: iso(r.returnedAt),
    filedAt: iso(r.filedAt),
    linesEntered: lines.get(r.number) ?? 0,
    hasScan: scans.has(r.number),
  }));
}

export function sectionQuery(knex: Knex, petitionId: string) {
  return knex('sections as s').where('s.petition_id', petitionId).select(SECTION_COLUMNS);
}

/** One section, or undefined; a circulator sees only their own. */
export async function findSection(
  knex: Knex,
  petitionId: string,
  number: number,
  ownerOnly?: string,
): Promise<Section | undefined> {
  const q = sectionQuery(knex, petitionId).where('s.number', number).first();
  if (ownerOnly) q.where('s.circulator_id', ownerOnly);
  const row = (await q) as SectionRow | undefined;
  return row && (await toSections(knex, petitionId, [row]))[0];
}

export interface SectionFilter {
  status?: SectionStatus;
  county?: string;
  circulatorId?: string;
  limit: number;
  cursor?: number;
}

/** A page of sections in order of number. */
export async function listSections(knex: Knex, petitionId: string, filter: SectionFilter) {
  const q = sectionQuery(knex, petitionId)
    .orderBy('s.number')
    .limit(filter.limit + 1);
  if (filter.status) q.where('s.status', filter.status);
  if (filter.county) q.where('s.county_fips', filter.county);
  if (filter.circulatorId) q.where('s.circulator_id', filter.circulatorId);
  if (filter.cursor) q.where('s.number', '>', filter.cursor);
  const rows = (await q) as SectionRow[];
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return {
    items: await toSections(knex, petitionId, page),
    nextCursor: rows.length > filter.limit && last ? String(last.number) : null,
  };
}
