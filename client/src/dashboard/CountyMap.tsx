import { geoCentroid, geoConicEqualArea, geoPath } from 'd3-geo';
import type { FeatureCollection, Geometry } from 'geojson';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { count } from '../shared/format';
import type { CountyProgress } from '../shared/types';
import { legendOf, shadeOf, shadingFor } from './shading';

type Shapes = FeatureCollection<Geometry, { name: string }>;
const WIDTH = 480;

function useShapes(state: string) {
  const [shapes, setShapes] = useState<Shapes | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    fetch(`/api/geo/${encodeURIComponent(state)}/counties`)
      .then((r) => (r.ok ? (r.json() as Promise<Shapes>) : Promise.reject(new Error(String(r.status)))))
      .then(setShapes, () => setFailed(true));
  }, [state]);
  return { shapes, failed };
}

/** The state's counties shaded by share of target (or of signers); the table below has the figures. */
export function CountyMap(props: { state: string; counties: CountyProgress[]; totalRaw: number }) {
  const { shapes, failed } = useShapes(props.state);
  const shading = shadingFor(props.counties, props.totalRaw);
  const byFips = useMemo(() => new Map(props.counties.map((c) => [c.fips, c])), [props.counties]);

  const drawn = useMemo(() => {
    if (!shapes) return null;
    const projection = geoConicEqualArea()
      .parallels([29.5, 45.5])
      .rotate([-geoCentroid(shapes)[0], 0])
      .fitWidth(WIDTH, shapes);
    const path = geoPath(projection);
    const [, [, bottom]] = path.bounds(shapes);
    return {
      height: Math.ceil(bottom),
      paths: shapes.features.map((f) => ({ id: String(f.id), d: path(f) ?? '' })),
    };
  }, [shapes]);

  if (failed)
    return <p class="muted">The county map could not be loaded; the table below has every figure.</p>;
  if (!drawn) return <div class="map-placeholder" aria-hidden="true" />;
  return (
    <figure class="county-map">
      <svg
        viewBox={`0 0 ${WIDTH} ${drawn.height}`}
        role="img"
        aria-label={`Map of counties shaded by ${shading.title.toLowerCase()}. The county table has the same figures.`}
      >
        {drawn.paths.map(({ id, d }) => {
          const c = byFips.get(id);
          return (
            <path
              key={id}
              d={d}
              fill={c ? shadeOf(shading.value(c), shading.steps) : '#ffffff'}
              data-fips={id}
            >
              <title>
                {c ? `${c.name}: ${count(c.raw)} signers, ${shading.describe(c)}` : 'Not in this petition'}
              </title>
            </path>
          );
        })}
      </svg>
      <figcaption>
        <span class="legend-title">{shading.title}</span>
        <ul class="map-legend">
          {legendOf(shading.steps).map((l) => (
            <li key={l.label}>
              <i class="swatch" style={{ background: l.color }} /> {l.label}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
