/*
 * npm run bench [-- --signers N] [--duration S] [--batch-connections 2,4,8] [--keep] [--profile]
 *                  [--scale] [--streams N] [--sections] [--server-root DIR] [--compare-root DIR]
 *                  [--compare-signers N]
 *
 * Creates a fresh PostgreSQL database on this machine, starts the API server on it as a child process,
 * loads N signers (default 1,000,000) into one public California petition, then measures with
 * autocannon: an Express 5 "hello" route served by a process of its own (the baseline every HTTP figure
 * is divided by), GET /healthz, GET /progress, single-signer intake and 1,000-signer batches.
 *   --scale       also: 304 revalidation of progress; 1 vs 2 server processes (WEB_CONCURRENCY) on
 *                 /healthz, progress and single intake; N open progress streams (--streams, default
 *                 10,000) held by a separate process while signers arrive: server RSS, 201-to-event
 *                 latency, progress req/s with them open.
 *   --sections    also: issue 10,000 paper sections, enter 100,000 signers on them in 1,000-signer
 *                 batches next to 100,000 plain ones, progress with the sections in place.
 *   --server-root the server of another checkout (a git worktree of an older commit, with npm ci run).
 *   --compare-root  also start that checkout's server on a fresh database of its own, loaded the same
 *                 way (--compare-signers, default N), and measure /healthz and progress on it, in this run.
 * Checks afterwards that the tallies equal the rows, prints a markdown summary and writes it to
 * bench-results/latest.md. Drops the databases at the end unless --keep. With --profile the server writes
 * a V8 CPU profile (bench-results/profiles/) when it stops.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { openDatabase, type Database } from '../server/db';
import { adminToken, createPetition, progressTotals, type BenchPetition } from './bench/api';
import {
  acknowledged,
  batchIntake,
  measure,
  revalidating,
  singleIntake,
  type Measurement,
  type RunOptions,
} from './bench/cannon';
import { backgroundLoad, rssOf } from './bench/cpu';
import { loadSigners } from './bench/load';
import { markdown, verdicts, type Report } from './bench/report';
import { issueSections, sectionBatchIntake } from './bench/sections';
import {
  assertLocal,
  createDatabase,
  dropDatabase,
  startHelloProcess,
  startServerProcess,
  type ServerProcess,
} from './bench/server';
import { pacedIntake, startStreamHolder } from './bench/streams';

const PG_BASE = process.env.BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432';
const CONNECTIONS = 50;
const BATCH_SIZE = 1000;
const SIGNING_DAYS = 60;
const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench-results');

const { values: args } = parseArgs({
  options: {
    signers: { type: 'string', default: '1000000' },
    duration: { type: 'string', default: '20' },
    'batch-connections': { type: 'string', default: '2,4,8' },
    keep: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    scale: { type: 'boolean', default: false },
    streams: { type: 'string', default: '10000' },
    sections: { type: 'boolean', default: false },
    'server-root': { type: 'string' },
    'compare-root': { type: 'string' },
    'compare-signers': { type: 'string' },
  },
});
const signers = Number(args.signers);
const duration = Number(args.duration);
const batchConnections = args['batch-connections'].split(',').map(Number);
if (!Number.isInteger(signers) || signers < 0 || !(duration >= 1 && duration <= 600)) {
  throw new Error('--signers must be a whole number >= 0 and --duration between 1 and 600 seconds');
}
if (!batchConnections.every((c) => Number.isInteger(c) && c >= 1 && c <= 64)) {
  throw new Error('--batch-connections takes whole numbers from 1 to 64, e.g. 2,4,8');
}
const streamCount = Number(args.streams);
if (!Number.isInteger(streamCount) || streamCount < 1 || streamCount > 18_000) {
  throw new Error('--streams takes a whole number from 1 to 18,000 (ulimit -n is 20,000 per process)');
}
const serverRoot = path.resolve(args['server-root'] ?? ROOT);
const compareRoot = args['compare-root'] ? path.resolve(args['compare-root']) : undefined;
const compareSigners = Number(args['compare-signers'] ?? signers);
for (const root of [serverRoot, compareRoot]) {
  if (root && !existsSync(path.join(root, 'server', 'main.ts')))
    throw new Error(`no server/main.ts in ${root}`);
}
if (!Number.isInteger(compareSigners) || compareSigners < 0)
  throw new Error('--compare-signers: a whole number');
/** Sections issued, and signers entered on them and without them, for --sections. */
const SECTIONS = 10_000;
const SECTION_SIGNERS = 100_000;
const SECTION_CONNECTIONS = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

type Rollup = (knex: Knex) => Promise<number>;
type Recount = (knex: Knex) => Promise<{ drift: unknown[] }>;

/** The rollup and the recount of the checkout whose server is measured (its schema may be older). */
async function talliesOf(root: string): Promise<{ rollup: Rollup; recount: Recount }> {
  const rollup = (await import(path.join(root, 'server', 'tallies', 'rollup.ts'))) as {
    rollupTallies: Rollup;
  };
  const recount = (await import(path.join(root, 'server', 'tallies', 'recount.ts'))) as { recount: Recount };
  return { rollup: rollup.rollupTallies, recount: recount.recount };
}

/** Folds every pending tally delta (the server's own rollup may hold the lock for a moment). */
async function foldDeltas(knex: Knex, rollupTallies: Rollup): Promise<number> {
  const started = performance.now();
  for (let tries = 0; tries < 600; tries++) {
    await rollupTallies(knex);
    const { rows } = await knex.raw<{ rows: { n: number }[] }>('select count(*)::int as n from tally_deltas');
    if (!rows[0]?.n) return (performance.now() - started) / 1000;
    await sleep(200);
  }
  throw new Error('tally deltas were not folded within 2 minutes');
}

async function statusCounts(knex: Knex, petitionId: string): Promise<Record<string, number>> {
  const { rows } = await knex.raw<{ rows: { status: string; n: number }[] }>(
    'select status, count(*)::int as n from signatures where petition_id = ? group by status',
    [petitionId],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** The commit a checkout is at, with "+changes" when its server code differs from it. */
function commitOf(root: string): string {
  try {
    const commit = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync('git', ['-C', root, 'status', '--porcelain', '--', 'server', 'migrations'], {
      encoding: 'utf8',
    }).trim();
    return dirty ? `${commit}+changes` : commit;
  } catch {
    return 'unknown';
  }
}

async function main(cleanups: (() => Promise<unknown>)[]): Promise<boolean> {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dbName = `bench_${stamp}`;
  mkdirSync(OUT, { recursive: true });
  const logFile = path.join(OUT, `server-${stamp}.log`);
  const nodeArgs = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(OUT, 'profiles')}`] : [];

  const background = await backgroundLoad();
  say(`machine busy before start: ${background.machine.toFixed(2)} cores`);
  const hello = await startHelloProcess(ROOT, path.join(OUT, `hello-${stamp}.log`));
  cleanups.push(() => hello.stop());
  const dbUrl = await createDatabase(PG_BASE, dbName);
  cleanups.push(() =>
    args.keep ? Promise.resolve(say(`kept database ${dbName}`)) : dropDatabase(PG_BASE, dbName),
  );
  say(`database ${dbName}; starting the server of ${serverRoot} (log: ${path.relative(ROOT, logFile)})`);
  const server: ServerProcess = await startServerProcess(serverRoot, dbUrl, logFile, { nodeArgs });
  cleanups.push(() => server.stop());
  assertLocal(server.url);
  const db: Database = await openDatabase({ databaseUrl: dbUrl, dataDir: OUT, poolMax: 4 });
  cleanups.push(() => db.close());

  const { token, userId } = await adminToken(server.url, server.admin);
  const petition = await createPetition(server.url, token, SIGNING_DAYS);
  say(`petition ${petition.id} with ${petition.counties.length} counties; loading ${signers} signers`);
  const loadSeconds = await loadSigners(db.knex, petition, userId, signers, SIGNING_DAYS, (done) => {
    if (done % 200_000 === 0 || done === signers) say(`  ${done} loaded`);
  });
  const tallies = await talliesOf(serverRoot);
  const rollupSeconds = await foldDeltas(db.knex, tallies.rollup);
  say(`loaded in ${loadSeconds.toFixed(1)} s; deltas folded ${rollupSeconds.toFixed(1)} s later`);

  // Each warm-up and each measured run may stop with one request per connection unanswered.
  let inFlightBound = 0;
  const run = async (
    o: Omit<RunOptions, 'duration' | 'serverPid' | 'topFile'> & {
      serverPid?: number;
      target?: ServerProcess;
    },
  ) => {
    const target = o.target ?? server;
    say(`${o.name}: ${o.connections} connections, ${o.amount ? `${o.amount} requests` : `${duration} s`}`);
    const topFile = path.join(OUT, `top-${stamp}-${o.name.replace(/\W+/g, '-')}-${o.connections}.txt`);
    const m = await measure({ ...o, duration, serverPid: o.serverPid ?? target.pid, topFile });
    inFlightBound += 2 * o.connections * (o.signersPerRequest ?? 0);
    const gone = target.gone();
    if (gone) throw new Error(`the server ${gone} during ${o.name}; see ${path.relative(ROOT, logFile)}`);
    return m;
  };
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const urls = (base: string, p: BenchPetition) => ({
    healthz: `${base}/healthz`,
    progress: `${base}/api/petitions/${p.id}/progress`,
    signatures: `${base}/api/petitions/${p.id}/signatures`,
  });
  const u = urls(server.url, petition);

  const helloRun = await run({
    name: 'GET /hello (Express 5, own process)',
    url: `${hello.url}/hello`,
    connections: CONNECTIONS,
    target: hello,
  });
  const healthz = await run({ name: 'GET /healthz', url: u.healthz, connections: CONNECTIONS });
  const progress = await run({ name: 'GET /progress', url: u.progress, connections: CONNECTIONS });
  let revalidate: Measurement | undefined;
  if (args.scale) {
    const etag = (await fetch(u.progress)).headers.get('etag');
    if (etag) {
      revalidate = await run({
        name: 'GET /progress, If-None-Match',
        url: u.progress,
        connections: CONNECTIONS,
        requests: revalidating(etag),
      });
    } else say('progress has no ETag on this server: no 304 run');
  }
  const singleRun = (target?: ServerProcess, name = 'POST /signatures') =>
    run({
      name,
      url: urls((target ?? server).url, petition).signatures,
      connections: CONNECTIONS,
      method: 'POST',
      headers: auth,
      requests: singleIntake(petition.counties),
      signersPerRequest: 1,
      target,
    });
  const single = await singleRun();
  const batches = [];
  for (const connections of batchConnections) {
    batches.push(
      await run({
        name: 'POST /signatures/batch',
        url: `${u.signatures}/batch`,
        connections,
        method: 'POST',
        headers: auth,
        requests: batchIntake(petition.counties, BATCH_SIZE),
        signersPerRequest: BATCH_SIZE,
      }),
    );
  }

  let workers: Report['workers'];
  let streams: Report['streams'];
  if (args.scale) {
    say('a second server on the same database with WEB_CONCURRENCY=2');
    const two = await startServerProcess(serverRoot, dbUrl, path.join(OUT, `server-${stamp}-workers2.log`), {
      nodeArgs,
      workers: 2,
    });
    try {
      const w = urls(two.url, petition);
      workers = {
        healthz: await run({
          name: 'GET /healthz, 2 workers',
          url: w.healthz,
          connections: CONNECTIONS,
          target: two,
        }),
        progress: await run({
          name: 'GET /progress, 2 workers',
          url: w.progress,
          connections: CONNECTIONS,
          target: two,
        }),
        single: await singleRun(two, 'POST /signatures, 2 workers'),
      };
    } finally {
      await two.stop();
    }
    await sleep(2000);
    await foldDeltas(db.knex, tallies.rollup);
    streams = await openStreams(server, petition, token, run, u.progress);
  }

  let sections: Report['sections'];
  if (args.sections) {
    const plain = await run({
      name: 'POST /signatures/batch, plain',
      url: `${u.signatures}/batch`,
      connections: SECTION_CONNECTIONS,
      method: 'POST',
      headers: auth,
      requests: batchIntake(petition.counties, BATCH_SIZE),
      signersPerRequest: BATCH_SIZE,
      amount: SECTION_SIGNERS / BATCH_SIZE,
    });
    say(`issuing ${SECTIONS} sections`);
    const issuing = await issueSections(server.url, token, petition, SECTIONS);
    say(
      `  ${issuing.sections.length} sections in ${issuing.requests} requests, ${issuing.seconds.toFixed(1)} s`,
    );
    const onSections = await run({
      name: 'POST /signatures/batch, on sections',
      url: `${u.signatures}/batch`,
      connections: SECTION_CONNECTIONS,
      method: 'POST',
      headers: auth,
      requests: sectionBatchIntake(petition.counties, issuing.sections, BATCH_SIZE),
      signersPerRequest: BATCH_SIZE,
      amount: SECTION_SIGNERS / BATCH_SIZE,
    });
    await sleep(2000);
    await foldDeltas(db.knex, tallies.rollup);
    const progressWith = await run({
      name: 'GET /progress, sections in place',
      url: u.progress,
      connections: CONNECTIONS,
    });
    const { sections: _list, ...issued } = issuing;
    sections = { issuing: { ...issued, sections: issuing.sections.length }, plain, onSections, progressWith };
  }

  let compare: Report['compare'];
  if (compareRoot) {
    // What the compared checkout stores goes to its own database: keep it out of this one's accounting.
    const before = { acknowledged: acknowledged.signers, inFlightBound };
    compare = await compareWith(compareRoot, stamp, run, cleanups);
    acknowledged.signers = before.acknowledged;
    inFlightBound = before.inFlightBound;
  }

  const helloAfter = await run({
    name: 'GET /hello again (drift check)',
    url: `${hello.url}/hello`,
    connections: CONNECTIONS,
    target: hello,
  });

  say('letting requests still in flight finish, folding deltas, verifying');
  await sleep(2000);
  await foldDeltas(db.knex, tallies.rollup);
  const counts = await statusCounts(db.knex, petition.id);
  const totals = await progressTotals(server.url, petition.id);
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  const statuses = ['pending', 'valid', 'invalid', 'duplicate'] as const;
  const recountStarted = performance.now();
  const report = await tallies.recount(db.knex);
  const recountSeconds = (performance.now() - recountStarted) / 1000;

  const result: Report = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(
      ' ',
    ),
    machine: `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB; Node ${process.version}; ${(await db.knex.raw<{ rows: { v: string }[] }>("select split_part(version(), ' on ', 1) as v")).rows[0]?.v ?? 'PostgreSQL'} on 127.0.0.1; server and load generator share the cores`,
    server: { root: serverRoot, commit: commitOf(serverRoot) },
    bench: { commit: commitOf(ROOT) },
    background,
    duration,
    load: { signers, seconds: loadSeconds, rollupSeconds },
    hello: helloRun,
    helloAfter,
    healthz,
    progress,
    revalidate,
    single,
    batches,
    workers,
    streams,
    sections,
    compare,
    exactness: {
      rows,
      progressRaw: totals.raw,
      statusesMatch: statuses.every((s) => (counts[s] ?? 0) === totals[s]),
      expectedAtLeast: signers + acknowledged.signers,
      inFlightBound,
      drift: report.drift.length,
      recountSeconds,
    },
  };
  const md = markdown(result);
  console.log(`\n${md}`);
  writeFileSync(path.join(OUT, 'latest.md'), md);
  writeFileSync(path.join(OUT, `bench-${stamp}.md`), md);
  writeFileSync(path.join(OUT, `bench-${stamp}.json`), JSON.stringify(result, null, 2));
  say(`summary written to bench-results/latest.md (and bench-${stamp}.json)`);
  return verdicts(result).every((v) => v.met);
}

type Run = (
  o: Omit<RunOptions, 'duration' | 'serverPid' | 'topFile'> & { serverPid?: number; target?: ServerProcess },
) => Promise<Measurement>;

/**
 * `streamCount` progress streams held by a separate process while signers arrive one a second: the
 * server's RSS, the time from each 201 to the event on every stream, and progress req/s with the
 * streams open against just before.
 */
async function openStreams(
  server: ServerProcess,
  petition: BenchPetition,
  token: string,
  run: Run,
  progressUrl: string,
): Promise<NonNullable<Report['streams']>> {
  const progressWithout = await run({
    name: 'GET /progress, no streams open',
    url: progressUrl,
    connections: CONNECTIONS,
  });
  await sleep(1000);
  const rssBefore = rssOf(server.pid);
  const holder = startStreamHolder(ROOT);
  try {
    say(`opening ${streamCount} progress streams from a separate process (pid ${holder.pid})`);
    const opened = await holder.open(`${progressUrl}/stream`, streamCount);
    say(`  ${opened.open} open in ${opened.seconds.toFixed(1)} s (${opened.failed} failed)`);
    await sleep(2000);
    const rssOpen = rssOf(server.pid);
    const intake = (seed: number) =>
      progressTotals(server.url, petition.id).then((t) =>
        pacedIntake({
          url: `${server.url}/api/petitions/${petition.id}/signatures`,
          token,
          counties: petition.counties,
          rawBefore: t.raw,
          everyMs: 1000,
          seed,
        }),
      );
    say('one signer a second for 15 s, streams open, nothing else running');
    const quiet = await intake(9001);
    await sleep(15_000);
    const quietChanges = await quiet.stop();
    const rssAfterChanges = rssOf(server.pid);
    await sleep(1500);
    say('GET /progress with the streams open, one signer a second still arriving');
    const busy = await intake(9002);
    const progressWith = await run({
      name: `GET /progress, ${streamCount} streams open`,
      url: progressUrl,
      connections: CONNECTIONS,
      helperPids: [holder.pid],
    });
    const busyChanges = await busy.stop();
    await sleep(1500);
    const quietLatency = await holder.latencies(quietChanges);
    const busyLatency = await holder.latencies(busyChanges);
    acknowledged.signers += quietChanges.length + busyChanges.length;
    return {
      n: streamCount,
      opened,
      rssBefore,
      rssOpen,
      rssAfterChanges,
      progressWithout,
      progressWith,
      quiet: { changes: quietChanges.length, ...quietLatency },
      busy: { changes: busyChanges.length, ...busyLatency },
    };
  } finally {
    await holder.close();
  }
}

/** Another checkout's server on a database of its own, loaded the same way: /healthz and progress. */
async function compareWith(
  root: string,
  stamp: string,
  run: Run,
  cleanups: (() => Promise<unknown>)[],
): Promise<NonNullable<Report['compare']>> {
  const name = `bench_${stamp}_compare`;
  const url = await createDatabase(PG_BASE, name);
  cleanups.push(() =>
    args.keep ? Promise.resolve(say(`kept database ${name}`)) : dropDatabase(PG_BASE, name),
  );
  say(`compare: the server of ${root} on ${name}`);
  const other = await startServerProcess(root, url, path.join(OUT, `server-${stamp}-compare.log`));
  const db = await openDatabase({ databaseUrl: url, dataDir: OUT, poolMax: 4 });
  try {
    const { token, userId } = await adminToken(other.url, other.admin);
    const petition = await createPetition(other.url, token, SIGNING_DAYS);
    const loadSeconds = await loadSigners(
      db.knex,
      petition,
      userId,
      compareSigners,
      SIGNING_DAYS,
      () => undefined,
    );
    await foldDeltas(db.knex, (await talliesOf(root)).rollup);
    say(`  loaded ${compareSigners} signers in ${loadSeconds.toFixed(1)} s`);
    const base = other.url;
    return {
      root,
      commit: commitOf(root),
      signers: compareSigners,
      healthz: await run({
        name: 'GET /healthz (compared checkout)',
        url: `${base}/healthz`,
        connections: CONNECTIONS,
        target: other,
      }),
      progress: await run({
        name: 'GET /progress (compared checkout)',
        url: `${base}/api/petitions/${petition.id}/progress`,
        connections: CONNECTIONS,
        target: other,
      }),
      single: await run({
        name: 'POST /signatures (compared checkout)',
        url: `${base}/api/petitions/${petition.id}/signatures`,
        connections: CONNECTIONS,
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        requests: singleIntake(petition.counties),
        signersPerRequest: 1,
        target: other,
      }),
      batch: await run({
        name: 'POST /signatures/batch (compared checkout)',
        url: `${base}/api/petitions/${petition.id}/signatures/batch`,
        connections: batchConnections[0] ?? 2,
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        requests: batchIntake(petition.counties, BATCH_SIZE),
        signersPerRequest: BATCH_SIZE,
        target: other,
      }),
    };
  } finally {
    await db.close();
    await other.stop();
  }
}

async function cleanUp(cleanups: (() => Promise<unknown>)[]): Promise<void> {
  for (const step of cleanups.reverse()) await step().catch((err: unknown) => say(`cleanup: ${String(err)}`));
  cleanups.length = 0;
}

const cleanups: (() => Promise<unknown>)[] = [];
const limitMs =
  15 * 60_000 +
  ((signers + (args['compare-root'] ? compareSigners : 0)) / 1e6) * 10 * 60_000 +
  (6 + batchConnections.length + (args.scale ? 8 : 0) + (args.sections ? 4 : 0)) * duration * 3000 +
  (args.scale ? 3 * 60_000 : 0) +
  (args.sections ? 3 * 60_000 : 0);
const abort = (why: string) => {
  say(`${why}: stopping`);
  void cleanUp(cleanups).finally(() => process.exit(1));
};
const watchdog = setTimeout(
  () => abort(`time limit of ${Math.round(limitMs / 60_000)} min reached`),
  limitMs,
);
process.once('SIGINT', () => abort('interrupted'));
process.once('SIGTERM', () => abort('terminated'));

main(cleanups)
  .then((allMet) => {
    if (!allMet) say('some targets were not met (see the table)');
  })
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanUp(cleanups);
    clearTimeout(watchdog);
  });
