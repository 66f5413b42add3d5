import { legendOf, SHADES, shadeOf, shadingFor } from '../../../client/src/dashboard/shading';
import { trendSeries } from '../../../client/src/dashboard/trend';

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
  it('gives each day in seconds with its signers and the trailing 7-day average', () => {
    const daily = [10, 20, 30, 40, 50, 60, 70, 80].map((raw, i) => ({ date: `2026-11-0${i + 1}`, raw }));
    const [x, raw, average] = trendSeries(daily);
    expect(x[0]).toBe(Date.UTC(2026, 10, 1) / 1000);
    expect(x[1]).toBe(Date.UTC(2026, 10, 2) / 1000);
    expect(raw).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
    // Day 1: 10/1; day 2: (10+20)/2; day 7: 280/7 = 40; day 8: (20+…+80)/7 = 50.
    expect(average).toEqual([10, 15, 20, 25, 30, 35, 40, 50]);
    expect(trendSeries([])).toEqual([[], [], []]);
  });
});
