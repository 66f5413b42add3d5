import { stringify } from 'csv-stringify/sync';
import type { ProgressDocument } from './progress';

export const TALLY_HEADER = [
  'county_fips',
  'county',
  'raw',
  'pending',
  'valid',
  'invalid',
  'duplicate',
  'validity_rate',
  'projected_valid',
  'target',
];

/**
 * What each column holds, for a workbook to type its cells (a FIPS code is text, a count a number).
 * `rate` is a fraction shown as a percent; `percent` is already a percentage.
 */
export type ColumnKind = 'text' | 'number' | 'rate' | 'percent' | 'flag';

export interface Table {
  header: string[];
  kinds: ColumnKind[];
  rows: Cell[][];
}

export const TALLY_KINDS: ColumnKind[] = [
  'text',
  'text',
  'number',
  'number',
  'number',
  'number',
  'number',
  'rate',
  'number',
  'number',
];

/** County tallies with the same numbers as the progress document, one row per county and a TOTAL row. */
export function tallyTable(doc: ProgressDocument): Table {
  const rows: Cell[][] = doc.counties.map((c) => [
    c.fips,
    c.name,
    c.raw,
    c.pending,
    c.valid,
    c.invalid,
    c.duplicate,
    c.validityRate,
    c.projectedValid,
    c.target,
  ]);
  const t = doc.totals;
  const targets = doc.counties.map((c) => c.target).filter((x): x is number => x !== null);
  rows.push([
    '',
    'TOTAL',
    t.raw,
    t.pending,
    t.valid,
    t.invalid,
    t.duplicate,
    t.validityRate,
    t.projectedValid,
    targets.length ? targets.reduce((a, b) => a + b, 0) : null,
  ]);
  return { header: TALLY_HEADER, kinds: TALLY_KINDS, rows };
}

export function talliesCsv(doc: ProgressDocument, opts: { bom?: boolean } = {}): string {
  const table = tallyTable(doc);
  return csvDocument(table.header, table.rows, opts);
}

export type Cell = string | number | boolean | null | undefined;

/**
 * A CSV document as the API gives them all: RFC 4180 (CRLF, quoted where needed), cells that a
 * spreadsheet would run as a formula (= + - @ tab CR) prefixed with ', and a byte order mark on request.
 */
export function csvDocument(header: string[], rows: Cell[][], opts: { bom?: boolean } = {}): string {
  return stringify([header, ...rows], {
    record_delimiter: 'windows',
    // A lone CR or LF splits a row in a spreadsheet as surely as CRLF: quote every cell holding one.
    quoted_match: /[\r\n]/,
    escape_formulas: true,
    bom: opts.bom ?? false,
    cast: { number: (n) => String(n), boolean: (b) => (b ? 'true' : 'false') },
  });
}
