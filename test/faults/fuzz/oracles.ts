/*
 * The contract's arithmetic (API.md "Progress document" and "Sample and projection"), written again
 * from the text with exact integers, so that property tests can hold the implementation to it.
 */

export interface Counts {
  pending: number;
  valid: number;
  invalid: number;
  duplicate: number;
}

export const sumCounts = (rows: Counts[]): Counts =>
  rows.reduce(
    (s, c) => ({
      pending: s.pending + c.pending,
      valid: s.valid + c.valid,
      invalid: s.invalid + c.invalid,
      duplicate: s.duplicate + c.duplicate,
    }),
    { pending: 0, valid: 0, invalid: 0, duplicate: 0 },
  );

/** A rate as a whole-number fraction. */
export interface Rate {
  num: bigint;
  den: bigint;
}

export const MIN_CHECKED = 30;

const ceilDiv = (x: bigint, y: bigint): bigint => (x + y - 1n) / y;
/** round(x / y) half up, for x, y ≥ 0. */
const roundDiv = (x: bigint, y: bigint): bigint => (2n * x + y) / (2n * y);

export const rawOf = (c: Counts): number => c.pending + c.valid + c.invalid + c.duplicate;

function checkedRate(c: Counts): Rate | null {
  const checked = c.valid + c.invalid;
  return checked >= MIN_CHECKED ? { num: BigInt(c.valid), den: BigInt(checked) } : null;
}

/** `r` of a county: its own rate with ≥ 30 checked, else the petition's with ≥ 30, else the assumed one. */
export function countyRate(county: Counts, petition: Counts, assumedTenThousandths: number): Rate {
  return checkedRate(county) ?? checkedRate(petition) ?? { num: BigInt(assumedTenThousandths), den: 10_000n };
}

/** The petition-wide rate used for the pace: observed with ≥ 30 checked, else the assumed one. */
export function petitionRate(petition: Counts, assumedTenThousandths: number): Rate {
  return checkedRate(petition) ?? { num: BigInt(assumedTenThousandths), den: 10_000n };
}

/** projectedValid = valid + floor(pending × r). */
export function projectedValid(c: Counts, r: Rate): number {
  return c.valid + Number((BigInt(c.pending) * r.num) / r.den);
}

/** ceil(max(0, 1.10 × required − projected) / r / max(daysLeft, 1)), null when r is 0. */
export function neededPerDay(required: number, projected: number, r: Rate, daysLeft: number): number | null {
  if (r.num === 0n) return null;
  const shortfallTenths = BigInt(Math.max(0, 11 * required - 10 * projected));
  return Number(ceilDiv(shortfallTenths * r.den, 10n * r.num * BigInt(Math.max(daysLeft, 1))));
}

export function progressBand(projected: number, required: number): string {
  if (projected * 100 >= 110 * required) return 'above_110';
  if (projected * 100 >= 95 * required) return 'full_count_95_110';
  return 'below_95';
}

/** min(raw, max(500, ceil(0.03 × raw))). */
export function sampleSize(raw: number): number {
  return Math.min(raw, Math.max(500, Number(ceilDiv(3n * BigInt(raw), 100n))));
}

export interface SampleCounty {
  raw: number;
  sampleSize: number;
  checked: number;
  valid: number;
  duplicates: number;
}

export interface SampleExpectation {
  validityPercentHundredths: number | null;
  v: number;
  aTenThousandths: number | null;
  penalty: number;
  projectedValid: number;
  complete: boolean;
}

export function sampleProjection(c: SampleCounty): SampleExpectation {
  const complete = c.checked >= c.sampleSize;
  const n = BigInt(complete ? c.sampleSize : c.checked);
  if (n === 0n) {
    return {
      validityPercentHundredths: null,
      v: 0,
      aTenThousandths: null,
      penalty: 0,
      projectedValid: 0,
      complete,
    };
  }
  const percent = roundDiv(BigInt(c.valid) * 10_000n, n); // 100 × valid ÷ n, in hundredths
  const v = ceilDiv(BigInt(c.raw) * percent, 10_000n); // ceil(raw × percent ÷ 100)
  const a = roundDiv(BigInt(c.raw) * 10_000n, n); // raw ÷ n, in ten-thousandths
  const penalty = ceilDiv(BigInt(c.duplicates) * a * (a - 10_000n), 100_000_000n);
  const projected = v - penalty > 0n ? v - penalty : 0n;
  return {
    validityPercentHundredths: Number(percent),
    v: Number(v),
    aTenThousandths: Number(a),
    penalty: Number(penalty),
    projectedValid: Number(projected),
    complete,
  };
}

export function sampleBand(raw: number, projected: number, required: number): string {
  return raw < required ? 'raw_below_100' : progressBand(projected, required);
}
