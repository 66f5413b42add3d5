import { csvDocument } from '../tallies/csv';
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

/** The county-by-county random-sample report, one row per county then TOTAL (RFC 4180, CRLF). */
export function sampleCsv(doc: SampleDocument, opts: { bom?: boolean } = {}): string {
  const rows = doc.counties.map((c) => [
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
  return csvDocument(SAMPLE_HEADER, rows, opts);
}
