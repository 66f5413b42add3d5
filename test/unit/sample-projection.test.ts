import {
  projectCounty,
  projectSample,
  sampleBand,
  sampleSizeFor,
} from '../../server/verification/projection';

const county = (over: Partial<Parameters<typeof projectCounty>[0]>) => ({
  fips: '06001',
  name: 'Alameda',
  raw: 0,
  sampleSize: 0,
  checked: 0,
  valid: 0,
  duplicates: 0,
  ...over,
});

describe('the random-sample projection (2 CCR §§20530–20540)', () => {
  it("reproduces the regulation's worked example: raw 24,034, sample 722, 516 valid, 2 duplicates → 15,028", () => {
    const c = projectCounty(
      county({ raw: 24_034, sampleSize: 722, checked: 722, valid: 516, duplicates: 2 }),
    );
    expect(c).toMatchObject({
      validityPercent: 71.47,
      v: 17_178,
      a: 33.2881,
      penalty: 2_150,
      projectedValid: 15_028,
      invalid: 206,
      complete: true,
    });
  });

  it('samples the greater of 500 or 3 %, all signers when there are fewer than 500', () => {
    expect(sampleSizeFor(0)).toBe(0);
    expect(sampleSizeFor(320)).toBe(320);
    expect(sampleSizeFor(500)).toBe(500);
    expect(sampleSizeFor(16_666)).toBe(500);
    expect(sampleSizeFor(16_667)).toBe(501);
    expect(sampleSizeFor(24_034)).toBe(722);
  });

  it('with raw under 500 the whole county is the sample and nothing is extrapolated', () => {
    const c = projectCounty(county({ raw: 320, sampleSize: 320, checked: 320, valid: 240 }));
    expect(c).toMatchObject({ validityPercent: 75, v: 240, a: 1, penalty: 0, projectedValid: 240 });
  });

  it('a county with no signers projects nothing and is complete', () => {
    expect(projectCounty(county({}))).toMatchObject({
      validityPercent: null,
      v: 0,
      a: null,
      penalty: 0,
      projectedValid: 0,
      complete: true,
    });
  });

  it('with no duplicates there is no penalty', () => {
    expect(projectCounty(county({ raw: 10_000, sampleSize: 500, checked: 500, valid: 400 })).penalty).toBe(0);
  });

  it('while the sample is being checked, projects from the signers checked so far', () => {
    const c = projectCounty(
      county({ raw: 24_034, sampleSize: 722, checked: 361, valid: 258, duplicates: 1 }),
    );
    // 258 / 361 = 71.47 %; a = 24,034 / 361 = 66.5762; penalty = ceil(66.5762 × 65.5762) = 4,366
    expect(c).toMatchObject({
      complete: false,
      validityPercent: 71.47,
      v: 17_178,
      a: 66.5762,
      penalty: 4_366,
    });
    expect(c.projectedValid).toBe(17_178 - 4_366);
    expect(projectCounty(county({ raw: 900, sampleSize: 500 })).complete).toBe(false);
  });

  it('never projects below zero when the penalty exceeds the valid count', () => {
    const c = projectCounty(
      county({ raw: 100_000, sampleSize: 3_000, checked: 3_000, valid: 100, duplicates: 5 }),
    );
    expect(c.penalty).toBeGreaterThan(c.v);
    expect(c.projectedValid).toBe(0);
  });

  it('puts the bands at exactly 95 % and 110 %, and fails a raw total under the requirement', () => {
    expect(sampleBand(1_000, 1_100, 1_000)).toBe('above_110');
    expect(sampleBand(1_000, 1_099, 1_000)).toBe('full_count_95_110');
    expect(sampleBand(1_000, 950, 1_000)).toBe('full_count_95_110');
    expect(sampleBand(1_000, 949, 1_000)).toBe('below_95');
    expect(sampleBand(999, 999, 1_000)).toBe('raw_below_100');
  });

  it('sums the counties and is complete only when every county is', () => {
    const doc = projectSample(
      [
        county({ raw: 24_034, sampleSize: 722, checked: 722, valid: 516, duplicates: 2 }),
        county({ fips: '06003', raw: 320, sampleSize: 320, checked: 300, valid: 240 }),
      ],
      10_000,
    );
    expect(doc.totals).toMatchObject({
      raw: 24_354,
      sampleSize: 1_042,
      checked: 1_022,
      valid: 756,
      duplicates: 2,
    });
    expect(doc.totals.projectedValid).toBe(15_028 + (doc.counties[1]?.projectedValid ?? 0));
    expect(doc.complete).toBe(false);
    expect(doc.band).toBe('above_110');
  });
});
