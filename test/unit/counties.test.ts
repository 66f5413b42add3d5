import { loadCountyDataset } from '../../server/counties/dataset';
import { CA_POPULATION_2020 } from '../../server/demo/ca-population';

describe('the county dataset', () => {
  const counties = loadCountyDataset();

  it('has every US county with its 5-digit FIPS code, state and name', () => {
    expect(counties.length).toBeGreaterThan(3100);
    expect(new Set(counties.map((c) => c.fips)).size).toBe(counties.length);
    expect(counties.find((c) => c.fips === '06037')).toEqual({
      fips: '06037',
      state: 'CA',
      stateFips: '06',
      name: 'Los Angeles',
    });
    expect(counties.filter((c) => c.state === 'OH')).toHaveLength(88);
  });

  it("has California's 58 counties, each with a population for spreading demo signers", () => {
    const ca = counties.filter((c) => c.state === 'CA');
    expect(ca).toHaveLength(58);
    for (const c of ca) expect(CA_POPULATION_2020[c.name]).toBeGreaterThan(1000);
  });
});
