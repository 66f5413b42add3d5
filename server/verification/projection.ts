/*
 * The random-sample projection of 2 CCR §§20530–20540, as API.md states it. Pure arithmetic: percents
 * are kept in hundredths and `a` in ten-thousandths as whole numbers, so rounding matches the rule.
 */

export type SampleBand = 'raw_below_100' | 'above_110' | 'full_count_95_110' | 'below_95';

export interface CountySampleCounts {
  fips: string;
  name: string;
  raw: number;
  sampleSize: number;
  /** Sampled signers checked so far (not pending). */
  checked: number;
  valid: number;
  /** Sampled signatures whose signer has an earlier signature in the same sample. */
  duplicates: number;
}

export interface CountyProjection extends CountySampleCounts {
  invalid: number;
  validityPercent: number | null;
  v: number;
  a: number | null;
  penalty: number;
  projectedValid: number;
  complete: boolean;
}

/** The greater of 500 or 3 % of the raw count, but never more than the raw count. */
export function sampleSizeFor(raw: number): number {
  return Math.min(raw, Math.max(500, Math.ceil((3 * raw) / 100)));
}

/** round(x / y, 2 decimals) × 100 as a whole number, half up. */
function roundedRatio(x: number, y: number, scale: number): number {
  return Number((BigInt(x) * BigInt(scale) * 2n + BigInt(y)) / (2n * BigInt(y)));
}

function ceilDiv(x: bigint, y: bigint): bigint {
  return (x + y - 1n) / y;
}

export function projectCounty(c: CountySampleCounts): CountyProjection {
  const complete = c.checked >= c.sampleSize;
  const n = complete ? c.sampleSize : c.checked;
  const invalid = c.checked - c.valid;
  if (n === 0) {
    return { ...c, invalid, validityPercent: null, v: 0, a: null, penalty: 0, projectedValid: 0, complete };
  }
  const hundredths = roundedRatio(c.valid, n, 10_000); // validity percent × 100
  const v = Number(ceilDiv(BigInt(c.raw) * BigInt(hundredths), 10_000n));
  const a4 = roundedRatio(c.raw, n, 10_000); // a × 10,000
  const penalty = Number(ceilDiv(BigInt(c.duplicates) * BigInt(a4) * BigInt(a4 - 10_000), 100_000_000n));
  return {
    ...c,
    invalid,
    validityPercent: hundredths / 100,
    v,
    a: a4 / 10_000,
    penalty: Math.max(0, penalty),
    projectedValid: Math.max(0, v - Math.max(0, penalty)),
    complete,
  };
}

export function sampleBand(raw: number, projected: number, required: number): SampleBand {
  if (raw < required) return 'raw_below_100';
  const percent = (100 * projected) / required;
  if (percent >= 110) return 'above_110';
  if (percent >= 95) return 'full_count_95_110';
  return 'below_95';
}

export function projectSample(counties: CountySampleCounts[], signaturesRequired: number) {
  const rows = counties.map(projectCounty);
  const sum = (k: 'raw' | 'sampleSize' | 'checked' | 'valid' | 'invalid' | 'duplicates' | 'projectedValid') =>
    rows.reduce((s, r) => s + r[k], 0);
  const totals = {
    raw: sum('raw'),
    sampleSize: sum('sampleSize'),
    checked: sum('checked'),
    valid: sum('valid'),
    invalid: sum('invalid'),
    duplicates: sum('duplicates'),
    projectedValid: sum('projectedValid'),
    projectedPercentOfRequired: (100 * sum('projectedValid')) / signaturesRequired,
  };
  return {
    counties: rows,
    totals,
    complete: rows.every((r) => r.complete),
    band: sampleBand(totals.raw, totals.projectedValid, signaturesRequired),
  };
}
