import { legendOf, SHADES, shadeOf, shadingFor } from '../../../client/src/dashboard/shading';
import { partialDay, todayOf, trendSeries } from '../../../client/src/dashboard/trend';

const county = (fips: string, raw: number, target: number | null = null) => ({
  fips,
  name: fips,
  raw,
  pending: raw,
  valid: 0,
  invalid: 0,
  duplicate: 0,
  validityRate: null,
  projectedValid: 0,
  target,
  sectionsOut: 0,
  linesCounted: 0,
  linesFiled: 0,
});

describe('the county map shading', () => {
  it('puts a value in the shade of the first step it is under, none for zero, the darkest above all', () => {
    const steps = [25, 50, 75, 100];
    expect(shadeOf(0, steps)).toBe(SHADES[0]);
    expect(shadeOf(null, steps)).toBe(SHADES[0]);
    expect(shadeOf(10, steps)).toBe(SHADES[1]);
    expect(shadeOf(25, steps)).toBe(SHADES[2]);
    expect(shadeOf(99.9, steps)).toBe(SHADES[4]);
    expect(shadeOf(100, steps)).toBe(SHADES[5]);
    expect(shadeOf(250, steps)).toBe(SHADES[5]);
  });

  it('shades by share of target when any county has one, else by share of all signers', () => {
    const withTargets = shadingFor([county('06001', 300, 1200), county('06037', 50)], 350);
    expect(withTargets.title).toBe('Share of county target');
    expect(withTargets.value(county('06001', 300, 1200))).toBe(25);
    expect(withTargets.value(county('06037', 50))).toBeNull();
    expect(withTargets.describe(county('06001', 300, 1200))).toBe('25 % of target');

    const bySigners = shadingFor([county('06001', 30), county('06037', 970)], 1000);
    expect(bySigners.title).toBe('Share of all signers');
    expect(bySigners.value(county('06001', 30))).toBe(3);
    expect(bySigners.describe(county('06037', 970))).toBe('97.0 % of all signers');
    expect(shadingFor([county('06001', 0)], 0).value(county('06001', 0))).toBe(0);
  });

  it('has a legend entry for every shade', () => {
    expect(legendOf([1, 2.5, 5, 10]).map((l) => l.label)).toEqual([
      'none',
      'under 1 %',
      'under 2.5 %',
      'under 5 %',
      'under 10 %',
      '10 % or more',
    ]);
  });
});

describe('the daily trend', () => {
  const week = (from: number, counts: number[]) =>
    counts.map((raw, i) => ({ date: `2026-11-${String(from + i).padStart(2, '0')}`, raw }));

  it('gives each day in seconds with its signers and the trailing 7-day average', () => {
    const daily = week(1, [10, 20, 30, 40, 50, 60, 70, 80]);
    const [x, full, today, average] = trendSeries(daily, '2026-11-20T09:00:00.000Z');
    expect(x[0]).toBe(Date.UTC(2026, 10, 1) / 1000);
    expect(x[1]).toBe(Date.UTC(2026, 10, 2) / 1000);
    expect(full).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
    expect(today).toEqual(Array(8).fill(null));
    // Day 1: 10/1; day 2: (10+20)/2; day 7: 280/7 = 40; day 8: (20+…+80)/7 = 50.
    expect(average).toEqual([10, 15, 20, 25, 30, 35, 40, 50]);
    expect(trendSeries([])).toEqual([[], [], [], []]);
  });

  it('when the last day is today, then it is a bar of its own and the average leaves it out', () => {
    const daily = week(1, [70, 70, 70, 70, 70, 70, 70, 9]);
    const [x, full, today, average] = trendSeries(daily, '2026-11-08T06:30:00.000Z');
    expect(x).toHaveLength(8);
    expect(full).toEqual([70, 70, 70, 70, 70, 70, 70, null]);
    expect(today).toEqual([null, null, null, null, null, null, null, 9]);
    expect(average).toEqual([70, 70, 70, 70, 70, 70, 70, null]);
  });

  it('takes today as the server counts days (UTC), whatever the reader’s clock says', () => {
    const daily = week(7, [5, 3]);
    expect(partialDay(daily, '2026-11-08T23:59:59.000Z')).toEqual({ date: '2026-11-08', raw: 3 });
    expect(partialDay(daily, '2026-11-09T00:00:01.000Z')).toBeNull();
    expect(partialDay([], '2026-11-08T12:00:00.000Z')).toBeNull();
    expect(todayOf('2026-11-08T16:00:00-08:00')).toBe('2026-11-09');
  });
});
