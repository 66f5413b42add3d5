import { feature } from 'topojson-client';
import { countyTopology, stateCodeByFips } from './dataset';

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
  const stateFips = [...stateCodeByFips].find(([, postal]) => postal === code)?.[0];
  let json: string | null = null;
  if (stateFips) {
    const all = feature(countyTopology, countyTopology.objects.counties);
    const features = all.features.filter((f) => String(f.id).startsWith(stateFips));
    json = JSON.stringify({ type: 'FeatureCollection', features }, round);
  }
  cache.set(code, json);
  return json;
}
