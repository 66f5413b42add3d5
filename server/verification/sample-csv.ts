import { csvDocument, type Cell, type ColumnKind, type Table } from '../tallies/csv';
import type { SampleDocument } from './samples';

export const SAMPLE_HEADER = [
  'county_fips',
  'county',
  'raw',
  'sample_size',
  'checked',
  'valid',
  'invalid',
  'duplicates',
  'validity_percent',
  'v',
  'a',
  'penalty',
  'projected_valid',
  'complete',
];

const SAMPLE_KINDS: ColumnKind[] = [
  'text',
  'text',
  ...(Array(6).fill('number') as ColumnKind[]),
  'percent',
  'number',
  'number',
  'number',
  'number',
  'flag',
];

/** The county-by-county random-sample report, one row per county then TOTAL. */
export function sampleTable(doc: SampleDocument): Table {
  const rows: Cell[][] = doc.counties.map((c) => [
    c.fips,
    c.name,
    c.raw,
    c.sampleSize,
    c.checked,
    c.valid,
    c.invalid,
    c.duplicates,
    c.validityPercent,
    c.v,
    c.a,
    c.penalty,
    c.projectedValid,
    c.complete,
  ]);
  const t = doc.totals;
  rows.push([
    '',
    'TOTAL',
    t.raw,
    t.sampleSize,
    t.checked,
    t.valid,
    t.invalid,
    t.duplicates,
    null,
    null,
    null,
    null,
    t.projectedValid,
    doc.complete,
  ]);
  return { header: SAMPLE_HEADER, kinds: SAMPLE_KINDS, rows };
}

export function sampleCsv(doc: SampleDocument, opts: { bom?: boolean } = {}): string {
  const table = sampleTable(doc);
  return csvDocument(table.header, table.rows, opts);
}
