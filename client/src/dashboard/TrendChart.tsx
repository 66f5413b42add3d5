import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { count, day } from '../shared/format';
import type { Progress } from '../shared/types';
import { partialDay, trendSeries } from './trend';

const HEIGHT = 240;
const HALF_DAY = 43_200;
const FULL_DAY = '#93c5fd';
/** The legend's swatch of each series: today's hatched bar is a canvas pattern, which CSS cannot show. */
const SWATCHES = ['', FULL_DAY, 'repeating-linear-gradient(135deg, #60a5fa 0 2px, #eff6ff 2px 5px)', ''];
const TODAY = 2;

/** Light stripes on a lighter ground: a bar still filling up, unlike the solid full days. */
function hatch(): CanvasPattern | string {
  const tile = document.createElement('canvas');
  tile.width = tile.height = 6;
  const g = tile.getContext('2d');
  if (!g) return '#dbeafe';
  g.fillStyle = '#eff6ff';
  g.fillRect(0, 0, 6, 6);
  g.strokeStyle = '#60a5fa';
  g.lineWidth = 1.5;
  g.beginPath();
  g.moveTo(0, 6);
  g.lineTo(6, 0);
  g.stroke();
  return g.createPattern(tile, 'repeat') ?? '#dbeafe';
}

/**
 * Signers per day (bars) with the 7-day average of full days (line); today, still going on, is hatched
 * and left out of the average. The figures are also in a table.
 */
export function TrendChart({ daily, asOf }: { daily: Progress['daily']; asOf: string }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const bars = uPlot.paths.bars?.({ size: [0.7, 40] });
    const today = hatch();
    const plot = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: HEIGHT,
        // Half a day either side, so that the first and the last bar show whole.
        scales: { x: { time: true, range: (_u, min, max) => [min - HALF_DAY, max + HALF_DAY] } },
        axes: [{ stroke: '#374151' }, { stroke: '#374151', size: 60 }],
        legend: {
          markers: {
            fill: (_u, i) => SWATCHES[i] ?? '',
            dash: (_u, i) => (i === TODAY ? 'dashed' : 'solid'),
          },
        },
        series: [
          { value: (_u, v) => (v === null ? '—' : day(new Date(v * 1000).toISOString().slice(0, 10))) },
          { label: 'Signers', fill: FULL_DAY, stroke: '#1d4ed8', paths: bars, points: { show: false } },
          {
            label: 'Today, so far',
            fill: () => today,
            stroke: '#1d4ed8',
            dash: [4, 3],
            paths: bars,
            points: { show: false },
          },
          { label: '7-day average', stroke: '#b45309', width: 2, points: { show: false } },
        ],
      },
      trendSeries([]),
      el,
    );
    chart.current = plot;
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(280, el.clientWidth), height: HEIGHT }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setData(trendSeries(daily, asOf));
  }, [daily, asOf]);

  const today = partialDay(daily, asOf);
  const full = today ? daily.slice(0, -1) : daily;
  const last = full.at(-1);
  const summary =
    `Signers per day over ${full.length} full days` +
    (last ? `; ${count(last.raw)} on ${day(last.date)}` : '') +
    (today ? `; today, so far, ${count(today.raw)} (the day is not over)` : '') +
    '.';
  return (
    <div>
      <div ref={host} class="trend" role="img" aria-label={summary} />
      {today && (
        <p class="muted trend-note">
          <i class="swatch today" /> Today, so far: {count(today.raw)}. The day is not over, so the 7-day
          average leaves it out.
        </p>
      )}
      <details>
        <summary>Signers per day as a table</summary>
        <div class="table-wrap daily-table">
          <table>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Signers</th>
              </tr>
            </thead>
            <tbody>
              {[...daily].reverse().map((d) => (
                <tr key={d.date}>
                  <td>
                    {day(d.date)}
                    {d === today && ' (today, so far)'}
                  </td>
                  <td>{count(d.raw)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
