import type { Measurement } from './cannon';
import type { CpuUse } from './cpu';

export interface Report {
  date: string;
  command: string;
  machine: string;
  /** The machine's CPU use just before the benchmark started anything. */
  background: CpuUse;
  duration: number;
  load: { signers: number; seconds: number; rollupSeconds: number };
  healthz: Measurement;
  progress: Measurement;
  single: Measurement;
  batches: Measurement[];
  exactness: {
    rows: number;
    progressRaw: number;
    statusesMatch: boolean;
    expectedAtLeast: number;
    inFlightBound: number;
    drift: number;
    recountSeconds: number;
  };
}

export interface Verdict {
  name: string;
  target: string;
  met: boolean;
}

const n = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (x: number) => n(x, x < 10 ? 2 : 1);
const cores = (c: CpuUse) =>
  [c.server, c.bench, c.postgres, c.other].map((x) => n(x, 2)).join(' / ') + ` (${n(c.machine, 2)})`;
const yes = (ok: boolean) => (ok ? 'yes' : '**NO**');

export function bestBatch(r: Report): Measurement {
  return r.batches.reduce((a, b) => ((b.signersPerSec ?? 0) > (a.signersPerSec ?? 0) ? b : a));
}

export function verdicts(r: Report): Verdict[] {
  const batch = bestBatch(r);
  const ratio = r.progress.reqPerSec / r.healthz.reqPerSec;
  const e = r.exactness;
  return [
    {
      name: 'progress',
      target: `>= 60% of /healthz req/s (${n(100 * ratio, 1)}%) and p99 < 25 ms (${ms(r.progress.p99)} ms)`,
      met: ratio >= 0.6 && r.progress.p99 < 25,
    },
    {
      name: 'single intake',
      target: `>= 1,500 signers/s (${n(r.single.signersPerSec ?? 0)}), 0 errors, 0 non-2xx`,
      met: (r.single.signersPerSec ?? 0) >= 1500 && r.single.errors === 0 && r.single.non2xx === 0,
    },
    {
      name: 'batch intake',
      target: `>= 30,000 signers/s (best ${n(batch.signersPerSec ?? 0)} at ${batch.connections} connections), every item 201`,
      met:
        (batch.signersPerSec ?? 0) >= 30_000 &&
        r.batches.every((b) => b.errors === 0 && b.non2xx === 0 && b.itemsNot201 === 0),
    },
    {
      name: 'exactness',
      target: 'rows = progress totals (raw and per status), no recount drift',
      met: e.rows === e.progressRaw && e.statusesMatch && e.drift === 0,
    },
  ];
}

export function markdown(r: Report): string {
  const row = (m: Measurement) =>
    `| ${m.name} | ${m.connections} | ${n(m.reqPerSec)} | ${m.signersPerSec === undefined ? '–' : n(m.signersPerSec)} | ${ms(m.p50)} | ${ms(m.p99)} | ${n(m.requests)} | ${m.errors} | ${m.non2xx}${m.itemsNot201 === undefined ? '' : ` (items not 201: ${m.itemsNot201})`} | ${ms(m.serverMsPerRequest)} | ${cores(m.cpu)} |`;
  const e = r.exactness;
  return [
    `## Benchmark ${r.date}`,
    '',
    `Machine: ${r.machine}`,
    '',
    `Command: \`${r.command}\``,
    '',
    '### Load',
    '',
    '| Signers loaded | Seconds | Signers/s | Rollup of tally deltas after the load |',
    '| ---: | ---: | ---: | ---: |',
    `| ${n(r.load.signers)} | ${n(r.load.seconds, 1)} | ${n(r.load.signers / r.load.seconds)} | ${n(r.load.rollupSeconds, 1)} s |`,
    '',
    `### HTTP (autocannon, ${r.duration} s per run after a 2 s warm-up)`,
    '',
    'Latency is over 2xx responses. CPU is in cores (1.00 = one core busy for the whole run) for the server process / the benchmark process (load generator) / PostgreSQL / anything else, and (the machine in all).',
    '',
    `Before the benchmark started, the machine was already using ${n(r.background.machine, 2)} cores.`,
    '',
    '| Measurement | Connections | Req/s (mean) | Signers/s | p50 ms | p99 ms | Requests | Errors | Non-2xx | Server CPU ms/request | CPU server / bench / PostgreSQL / other (all) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...[r.healthz, r.progress, r.single, ...r.batches].map(row),
    '',
    '### Exactness after the runs',
    '',
    '| Rows in signatures | Progress totals.raw | Per-status totals match | Loaded + acknowledged by the API | Recount drift |',
    '| ---: | ---: | --- | ---: | ---: |',
    `| ${n(e.rows)} | ${n(e.progressRaw)} | ${yes(e.statusesMatch)} | ${n(e.expectedAtLeast)} (+${n(e.rows - e.expectedAtLeast)} in flight when a run stopped; at most ${n(e.inFlightBound)} possible) | ${e.drift} (recount took ${n(e.recountSeconds, 1)} s) |`,
    '',
    '### Targets',
    '',
    '| Measurement | Target (measured) | Met |',
    '| --- | --- | --- |',
    ...verdicts(r).map((v) => `| ${v.name} | ${v.target} | ${yes(v.met)} |`),
    '',
  ].join('\n');
}
