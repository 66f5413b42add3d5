import {
  bandOf,
  buildProgress,
  daysLeft,
  neededPerDay,
  type ProgressPetition,
} from '../../server/tallies/progress';
import type { StatusCounts } from '../../server/tallies/store';

const petition: ProgressPetition = {
  id: 'p',
  slug: 'p',
  title: 'P',
  signaturesRequired: 1000,
  deadline: '2026-12-01',
  assumedValidityRate: 0.75,
  counties: [
    { fips: '06001', name: 'Alameda', target: 100 },
    { fips: '06003', name: 'Alpine', target: null },
    { fips: '06005', name: 'Amador', target: null },
  ],
};
const now = new Date('2026-11-21T12:00:00Z');
const counts = (c: Partial<StatusCounts>): StatusCounts => ({
  pending: 0,
  valid: 0,
  invalid: 0,
  duplicate: 0,
  ...c,
});

describe('the progress document', () => {
  it('projects a county with 30 checked signers from its own rate, others from the petition-wide rate', () => {
    const doc = buildProgress(
      petition,
      {
        counties: new Map([
          ['06001', counts({ valid: 24, invalid: 6, pending: 10, duplicate: 2 })], // 80 %, own rate
          ['06003', counts({ valid: 5, invalid: 5, pending: 7 })], // 10 checked: petition rate
        ]),
        hourly: [],
        seconds: [],
        sections: [],
      },
      now,
    );
    const [alameda, alpine, amador] = doc.counties;
    expect(alameda).toMatchObject({ raw: 42, validityRate: 0.8, projectedValid: 24 + 8 });
    // petition-wide: 29 valid of 40 checked → floor(7 × 29/40) = floor(5.075) = 5
    expect(alpine).toMatchObject({ raw: 17, validityRate: 0.5, projectedValid: 5 + 5 });
    expect(amador).toMatchObject({ raw: 0, validityRate: null, projectedValid: 0 });
    expect(doc.totals).toMatchObject({
      raw: 59,
      pending: 17,
      valid: 29,
      invalid: 11,
      duplicate: 2,
      projectedValid: 42,
    });
    expect(doc.totals.validityRate).toBeCloseTo(29 / 40, 12);
    expect(doc.totals.percentOfRequired).toBeCloseTo(5.9, 12);
    expect(doc.counties.map((c) => c.fips)).toEqual(['06001', '06003', '06005']);
  });

  it('uses the assumed validity rate while fewer than 30 signers are checked', () => {
    const doc = buildProgress(
      petition,
      {
        counties: new Map([['06001', counts({ pending: 100, valid: 1 })]]),
        hourly: [],
        seconds: [],
        sections: [],
      },
      now,
    );
    expect(doc.counties[0]?.projectedValid).toBe(1 + 75);
    expect(doc.totals.validityRate).toBe(1);
  });

  it('puts the bands at exactly 95 % and 110 %', () => {
    expect(bandOf(94.99)).toBe('below_95');
    expect(bandOf(95)).toBe('full_count_95_110');
    expect(bandOf(109.99)).toBe('full_count_95_110');
    expect(bandOf(110)).toBe('above_110');
  });

  it('counts whole days left, never below zero', () => {
    expect(daysLeft('2026-12-01', now)).toBe(10);
    expect(daysLeft('2026-11-21', now)).toBe(0);
    expect(daysLeft('2026-01-01', now)).toBe(0);
  });

  it('computes the signers needed per day to reach 110 % exactly', () => {
    // 1.10 × 585,407 = 643,947.7; short 643,947.7 − 100,000 = 543,947.7; ÷ 0.75 ÷ 100 days = 7,252.636 → 7,253
    expect(neededPerDay(585_407, 100_000, { num: 3, den: 4 }, 100)).toBe(7253);
    expect(neededPerDay(1000, 1100, { num: 3, den: 4 }, 10)).toBe(0);
    expect(neededPerDay(1000, 0, { num: 0, den: 10 }, 10)).toBeNull();
    // on the deadline day the remaining need falls on one day
    expect(neededPerDay(1000, 0, { num: 1, den: 1 }, 0)).toBe(1100);
  });

  it('fills the daily series and counts the last 7 × 24 hours to the second', () => {
    // The window is the seconds 14T12:30:16 … 21T12:30:15: hours 14T13 … 21T11 whole, the ends second by second.
    const at = new Date('2026-11-21T12:30:15.400Z');
    const doc = buildProgress(
      petition,
      {
        counties: new Map([['06001', counts({ pending: 19 })]]),
        hourly: [
          { hour: '2026-11-10T08', n: 3 },
          { hour: '2026-11-14T12', n: 5 },
          { hour: '2026-11-14T13', n: 4 },
          { hour: '2026-11-21T11', n: 2 },
          { hour: '2026-11-21T12', n: 5 },
        ],
        seconds: [
          { second: '2026-11-14T12:30:15', n: 1 }, // a second before the window
          { second: '2026-11-14T12:30:16', n: 2 }, // its first second
          { second: '2026-11-14T12:59:59', n: 2 },
          { second: '2026-11-21T12:30:15', n: 1 }, // its last second, the one `at` falls in
          { second: '2026-11-21T12:30:16', n: 1 }, // after it
          { second: '2026-11-21T12:40:00', n: 3 }, // signed "in the future" (clock slack)
        ],
        sections: [],
      },
      at,
    );
    expect(doc.daily[0]).toEqual({ date: '2026-11-10', raw: 3 });
    expect(doc.daily).toHaveLength(12);
    expect(doc.daily.find((d) => d.date === '2026-11-14')).toEqual({ date: '2026-11-14', raw: 9 });
    expect(doc.pace.last7DaysPerDay).toBeCloseTo((2 + 2 + 4 + 2 + 1) / 7, 12);
    expect(doc.pace.daysLeft).toBe(10);
  });
});
