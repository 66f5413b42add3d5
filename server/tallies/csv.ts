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
 * County tallies as RFC 4180 CSV (CRLF, quoted where needed) with the same numbers as the progress
 * document, one row per county and a TOTAL row. Cells that a spreadsheet would run as a formula
 * (= + - @ tab CR) are prefixed with '.
 */
export function talliesCsv(doc: ProgressDocument, opts: { bom?: boolean } = {}): string {
  const rows: (string | number | null)[][] = doc.counties.map((c) => [
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
  return stringify([TALLY_HEADER, ...rows], {
    record_delimiter: 'windows',
    escape_formulas: true,
    bom: opts.bom ?? false,
    cast: { number: (n) => String(n) },
  });
}
