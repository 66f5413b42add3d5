import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { count, day } from '../shared/format';
import type { Progress } from '../shared/types';
import { trendSeries } from './trend';

const HEIGHT = 240;

/** Signers per day (bars) with the 7-day average (line); the figures are also in a table. */
export function TrendChart({ daily }: { daily: Progress['daily'] }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const bars = uPlot.paths.bars?.({ size: [0.7, 40] });
    const plot = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: HEIGHT,
        scales: { x: { time: true } },
        axes: [{ stroke: '#374151' }, { stroke: '#374151', size: 60 }],
        series: [
          { value: (_u, v) => (v === null ? '—' : day(new Date(v * 1000).toISOString().slice(0, 10))) },
          { label: 'Signers', fill: '#93c5fd', stroke: '#1d4ed8', paths: bars, points: { show: false } },
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
    chart.current?.setData(trendSeries(daily));
  }, [daily]);

  const last = daily.at(-1);
  return (
    <div>
      <div
        ref={host}
        class="trend"
        role="img"
        aria-label={`Signers per day over ${daily.length} days${last ? `; ${count(last.raw)} on ${day(last.date)}` : ''}.`}
      />
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
                  <td>{day(d.date)}</td>
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
