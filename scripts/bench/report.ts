import type { Measurement } from './cannon';
import type { CpuUse } from './cpu';
import type { Issuing } from './sections';
import type { Latencies } from './streams';

export interface Report {
  date: string;
  command: string;
  machine: string;
  /** The checkout whose server was measured, and the benchmark's own. */
  server: { root: string; commit: string };
  bench: { commit: string };
  /** The machine's CPU use just before the benchmark started anything. */
  background: CpuUse;
  duration: number;
  load: { signers: number; seconds: number; rollupSeconds: number };
  /** The baseline: an Express 5 "hello" route in a process of its own. */
  hello: Measurement;
  /** The same, measured again at the end of the run: how much the machine drifted meanwhile. */
  helloAfter: Measurement;
  healthz: Measurement;
  progress: Measurement;
  /** GET progress with If-None-Match set to the current ETag. */
  revalidate?: Measurement;
  single: Measurement;
  batches: Measurement[];
  /** A second server with WEB_CONCURRENCY=2 on the same database. */
  workers?: { healthz: Measurement; progress: Measurement; single: Measurement };
  streams?: {
    n: number;
    opened: { open: number; failed: number; closedEarly: number; seconds: number };
    rssBefore: number;
    rssOpen: number;
    rssAfterChanges: number;
    progressWithout: Measurement;
    progressWith: Measurement;
    /** One signer a second, nothing else running. */
    quiet: Latencies & { changes: number };
    /** One signer a second while progress is measured at 50 connections. */
    busy: Latencies & { changes: number };
  };
  sections?: {
    issuing: Omit<Issuing, 'sections'> & { sections: number };
    plain: Measurement;
    onSections: Measurement;
    progressWith: Measurement;
  };
  /** Another checkout's server on a database of its own, loaded the same way. */
  compare?: {
    root: string;
    commit: string;
    signers: number;
    healthz: Measurement;
    progress: Measurement;
    single: Measurement;
    batch: Measurement;
  };
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
  [c.server, c.bench, c.helpers ?? 0, c.postgres, c.other].map((x) => n(x, 2)).join(' / ') +
  ` (${n(c.machine, 2)})`;
const yes = (ok: boolean) => (ok ? 'yes' : '**NO**');
const mb = (bytes: number) => n(bytes / 2 ** 20, 1);
const kb = (bytes: number) => n(bytes / 1024, 1);

export function bestBatch(r: Report): Measurement {
  return r.batches.reduce((a, b) => ((b.signersPerSec ?? 0) > (a.signersPerSec ?? 0) ? b : a));
}

export function verdicts(r: Report): Verdict[] {
  const batch = bestBatch(r);
  const ratio = r.progress.reqPerSec / r.hello.reqPerSec;
  const e = r.exactness;
  const v: Verdict[] = [
    {
      name: 'progress',
      target: `>= 0.6 × Express hello req/s (${n(ratio, 2)} ×: ${n(r.progress.reqPerSec)} of ${n(r.hello.reqPerSec)})`,
      met: ratio >= 0.6,
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
  ];
  if (r.streams) {
    const s = r.streams;
    v.push({
      name: `${n(s.n)} streams`,
      target: `every stream gets each change within 1 s, p99 (quiet: p99 ${n(s.quiet.p99)} ms, ${s.quiet.missing} missed; with progress load: p99 ${n(s.busy.p99)} ms, ${s.busy.missing} missed)`,
      met: s.opened.open === s.n && s.quiet.p99 < 1000 && s.quiet.missing === 0 && s.busy.missing === 0,
    });
  }
  v.push({
    name: 'exactness',
    target: 'rows = progress totals (raw and per status), no recount drift',
    met: e.rows === e.progressRaw && e.statusesMatch && e.drift === 0,
  });
  return v;
}

function httpTable(hello: Measurement, rows: Measurement[]): string[] {
  const row = (m: Measurement) => {
    const others = Object.entries(m.statuses)
      .filter(([code]) => !code.startsWith('2'))
      .map(([code, count]) => `${code}: ${n(count)}`)
      .join(', ');
    return `| ${m.name} | ${m.connections} | ${n(m.reqPerSec)} | **${n(m.reqPerSec / hello.reqPerSec, 3)}** | ${m.signersPerSec === undefined ? '–' : n(m.signersPerSec)} | ${ms(m.p50)} | ${ms(m.p99)} | ${n(m.requests)} | ${m.errors} | ${m.non2xx}${others ? ` (${others})` : ''}${m.itemsNot201 === undefined ? '' : `; items not 201: ${m.itemsNot201}`} | ${ms(m.serverMsPerRequest)} | ${n(m.serverMsPerRequest / hello.serverMsPerRequest, 2)} | ${cores(m.cpu)} |`;
  };
  return [
    '| Measurement | Conn. | Req/s | Req/s ÷ hello | Signers/s | p50 ms | p99 ms | Requests | Errors | Non-2xx | Server CPU ms/req | ÷ hello | CPU server / bench / helper / PostgreSQL / other (all) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |',
    ...rows.map(row),
  ];
}

export function markdown(r: Report): string {
  const e = r.exactness;
  const out = [
    `## Benchmark ${r.date}`,
    '',
    `Machine: ${r.machine}`,
    '',
    `Command: \`${r.command}\`; server of \`${r.server.root}\` at \`${r.server.commit}\`, benchmark at \`${r.bench.commit}\``,
    '',
    '### Load',
    '',
    '| Signers loaded | Seconds | Signers/s | Rollup of tally deltas after the load |',
    '| ---: | ---: | ---: | ---: |',
    `| ${n(r.load.signers)} | ${n(r.load.seconds, 1)} | ${n(r.load.signers / r.load.seconds)} | ${n(r.load.rollupSeconds, 1)} s |`,
    '',
    `### HTTP (autocannon, ${r.duration} s per run after a 2 s warm-up)`,
    '',
    'Every HTTP figure is also given as a ratio to the Express 5 "hello" route measured first in this run (its own process, same load generator, same connections). Latency is over all responses. CPU is in cores (1.00 = one core busy for the whole run) for the server process with its workers / the benchmark process (load generator) / its helper process (the open streams) / PostgreSQL / anything else, and (the machine in all).',
    '',
    `Before the benchmark started, the machine was already using ${n(r.background.machine, 2)} cores. The hello route measured again at the end: ${n(r.helloAfter.reqPerSec)} req/s (${n(r.helloAfter.reqPerSec / r.hello.reqPerSec, 3)} × the first).`,
    '',
    ...httpTable(r.hello, [
      r.hello,
      r.healthz,
      r.progress,
      ...(r.revalidate ? [r.revalidate] : []),
      r.single,
      ...r.batches,
      ...(r.workers ? [r.workers.healthz, r.workers.progress, r.workers.single] : []),
      ...(r.streams ? [r.streams.progressWithout, r.streams.progressWith] : []),
      ...(r.sections ? [r.sections.plain, r.sections.onSections, r.sections.progressWith] : []),
      ...(r.compare ? [r.compare.healthz, r.compare.progress, r.compare.single, r.compare.batch] : []),
      r.helloAfter,
    ]),
    '',
  ];
  if (r.workers) {
    const w = r.workers;
    const x = (two: Measurement, one: Measurement) => n(two.reqPerSec / one.reqPerSec, 2);
    out.push(
      '### 1 vs 2 server processes (WEB_CONCURRENCY)',
      '',
      '| Measurement | 1 process req/s | 2 workers req/s | 2 ÷ 1 | 2 workers ÷ hello |',
      '| --- | ---: | ---: | ---: | ---: |',
      `| GET /healthz | ${n(r.healthz.reqPerSec)} | ${n(w.healthz.reqPerSec)} | ${x(w.healthz, r.healthz)} | ${n(w.healthz.reqPerSec / r.hello.reqPerSec, 3)} |`,
      `| GET /progress | ${n(r.progress.reqPerSec)} | ${n(w.progress.reqPerSec)} | ${x(w.progress, r.progress)} | ${n(w.progress.reqPerSec / r.hello.reqPerSec, 3)} |`,
      `| POST /signatures | ${n(r.single.reqPerSec)} | ${n(w.single.reqPerSec)} | ${x(w.single, r.single)} | ${n(w.single.reqPerSec / r.hello.reqPerSec, 3)} |`,
      '',
    );
  }
  if (r.compare) {
    const c = r.compare;
    const batch = r.batches.find((b) => b.connections === c.batch.connections);
    const row = (name: string, now: Measurement | undefined, then: Measurement) =>
      now
        ? `| ${name} | ${n(then.reqPerSec)} | ${n(then.reqPerSec / r.hello.reqPerSec, 3)} | ${ms(then.serverMsPerRequest)} | ${n(now.reqPerSec)} | ${n(now.reqPerSec / r.hello.reqPerSec, 3)} | ${ms(now.serverMsPerRequest)} | ${n(now.reqPerSec / then.reqPerSec, 2)} |`
        : '';
    out.push(
      `### This checkout against ${c.commit}, same run`,
      '',
      `${c.commit} (${c.root}) served from a database of its own loaded the same way with ${n(c.signers)} signers.`,
      '',
      `| Measurement | ${c.commit} req/s | ÷ hello | server ms/request | ${r.server.commit} req/s | ÷ hello | server ms/request | now ÷ then |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      row('GET /healthz', r.healthz, c.healthz),
      row('GET /progress', r.progress, c.progress),
      row('POST /signatures', r.single, c.single),
      row(`POST /signatures/batch, ${c.batch.connections} connections`, batch, c.batch),
      '',
    );
  }
  if (r.revalidate) {
    const v = r.revalidate;
    out.push(
      `### 304 revalidation`,
      '',
      `GET /progress with \`If-None-Match\` set to the current ETag (updated from any 200): ${n(v.reqPerSec)} req/s = ${n(v.reqPerSec / r.hello.reqPerSec, 3)} × hello, ${n(v.reqPerSec / r.progress.reqPerSec, 2)} × full progress answers; ${n(v.statuses['304'] ?? 0)} answered 304 and ${n(v.statuses['200'] ?? 0)} answered 200 (the document is recomputed every 5 s, and its asOf, so its ETag, moves with it); server CPU ${ms(v.serverMsPerRequest)} ms/request against ${ms(r.progress.serverMsPerRequest)} for a full answer.`,
      '',
    );
  }
  if (r.streams) {
    const s = r.streams;
    const lat = (name: string, l: Latencies & { changes: number }) =>
      `| ${name} | ${l.changes} | ${n(l.samples)} | ${l.missing} | ${n(l.min)} | ${n(l.p50)} | ${n(l.p90)} | ${n(l.p99)} | ${n(l.max)} | ${n(Math.max(...l.perChange.map((c) => c.max - c.p50)))} |`;
    out.push(
      `### ${n(s.n)} open progress streams (one server process)`,
      '',
      `Opened from a separate process in ${n(s.opened.seconds, 1)} s: ${n(s.opened.open)} open, ${s.opened.failed} failed, ${s.opened.closedEarly} closed by the server. Server RSS ${mb(s.rssBefore)} MB before, ${mb(s.rssOpen)} MB with them open (${kb((s.rssOpen - s.rssBefore) / s.n)} KB per stream), ${mb(s.rssAfterChanges)} MB after the quiet changes.`,
      '',
      'From the 201 of a signer (one a second) to the `progress` event counting it on each stream, in ms, over every stream and change. The hub waits 200 ms after a change before computing and pushing, so that changes arriving together are pushed once: 200 ms of each figure is that wait.',
      '',
      '| Phase | Changes | Samples | Missed | min | p50 | p90 | p99 | max | widest spread within one change (max − p50) |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      lat('quiet (nothing else running)', s.quiet),
      lat('while GET /progress runs at 50 connections', s.busy),
      '',
      `GET /progress: ${n(s.progressWithout.reqPerSec)} req/s without the streams, ${n(s.progressWith.reqPerSec)} req/s with them open and one signer a second (${n(s.progressWith.reqPerSec / s.progressWithout.reqPerSec, 2)} ×).`,
      '',
    );
  }
  if (r.sections) {
    const s = r.sections;
    const beforeProgress = r.compare?.progress;
    out.push(
      '### Paper sections',
      '',
      `Issued ${n(s.issuing.sections)} sections in ${s.issuing.requests} requests (≤ 500 each, one after another) in ${n(s.issuing.seconds, 1)} s: ${n(s.issuing.sections / s.issuing.seconds)} sections/s; per request p50 ${n(s.issuing.p50)} ms, max ${n(s.issuing.max)} ms.`,
      '',
      '| Measurement | Signers | Signers/s | ÷ plain | ÷ hello (req/s) | items not 201 | Server CPU ms/batch | PostgreSQL cores |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...[s.plain, s.onSections].map(
        (m) =>
          `| ${m.name} | ${n(m.requests * 1000)} | ${n(m.signersPerSec ?? 0)} | ${n((m.signersPerSec ?? 0) / (s.plain.signersPerSec ?? 1), 2)} | ${n(m.reqPerSec / r.hello.reqPerSec, 4)} | ${m.itemsNot201 ?? 0} | ${ms(m.serverMsPerRequest)} | ${n(m.cpu.postgres, 2)} |`,
      ),
      '',
      '| Progress | Req/s | ÷ hello | ÷ HEAD before sections were issued |',
      '| --- | ---: | ---: | ---: |',
      ...(beforeProgress
        ? [
            `| ${r.compare?.commit} (compared checkout, ${n(r.compare?.signers ?? 0)} signers) | ${n(beforeProgress.reqPerSec)} | ${n(beforeProgress.reqPerSec / r.hello.reqPerSec, 3)} | ${n(beforeProgress.reqPerSec / r.progress.reqPerSec, 2)} |`,
          ]
        : []),
      `| ${r.server.commit}, no sections | ${n(r.progress.reqPerSec)} | ${n(r.progress.reqPerSec / r.hello.reqPerSec, 3)} | 1.00 |`,
      `| ${r.server.commit}, ${n(s.issuing.sections)} sections in place | ${n(s.progressWith.reqPerSec)} | ${n(s.progressWith.reqPerSec / r.hello.reqPerSec, 3)} | ${n(s.progressWith.reqPerSec / r.progress.reqPerSec, 2)} |`,
      '',
    );
  }
  out.push(
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
  );
  return out.join('\n');
}
