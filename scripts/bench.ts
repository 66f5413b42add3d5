/*
 * npm run bench [-- --signers N] [--duration S] [--batch-connections 2,4,8] [--keep] [--profile]
 *
 * Creates a fresh PostgreSQL database on this machine, starts the API server on it as a child process,
 * loads N signers (default 1,000,000) into one public California petition, then measures with
 * autocannon: GET /healthz (baseline), GET /progress, single-signer intake and 1,000-signer batches.
 * Checks afterwards that the tallies equal the rows, prints a markdown summary and writes it to
 * bench-results/latest.md. Drops the database at the end unless --keep. With --profile the server writes
 * a V8 CPU profile (bench-results/profiles/) when it stops.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { openDatabase, type Database } from '../server/db';
import { recount } from '../server/tallies/recount';
import { rollupTallies } from '../server/tallies/rollup';
import { adminToken, createPetition, progressTotals } from './bench/api';
import { acknowledged, batchIntake, measure, singleIntake, type RunOptions } from './bench/cannon';
import { backgroundLoad } from './bench/cpu';
import { loadSigners } from './bench/load';
import { markdown, verdicts, type Report } from './bench/report';
import {
  assertLocal,
  createDatabase,
  dropDatabase,
  startServerProcess,
  type ServerProcess,
} from './bench/server';

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

/** Folds every pending tally delta (the server's own rollup may hold the lock for a moment). */
async function foldDeltas(knex: Knex): Promise<number> {
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

async function main(cleanups: (() => Promise<unknown>)[]): Promise<boolean> {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dbName = `bench_${stamp}`;
  mkdirSync(OUT, { recursive: true });
  const logFile = path.join(OUT, `server-${stamp}.log`);

  const background = await backgroundLoad();
  say(`machine busy before start: ${background.machine.toFixed(2)} cores`);
  const dbUrl = await createDatabase(PG_BASE, dbName);
  cleanups.push(() =>
    args.keep ? Promise.resolve(say(`kept database ${dbName}`)) : dropDatabase(PG_BASE, dbName),
  );
  say(`database ${dbName}; starting the server (log: ${path.relative(ROOT, logFile)})`);
  const nodeArgs = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(OUT, 'profiles')}`] : [];
  const server: ServerProcess = await startServerProcess(ROOT, dbUrl, logFile, nodeArgs);
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
  const rollupSeconds = await foldDeltas(db.knex);
  say(`loaded in ${loadSeconds.toFixed(1)} s; deltas folded ${rollupSeconds.toFixed(1)} s later`);

  const run = async (o: Omit<RunOptions, 'duration' | 'serverPid' | 'topFile'>) => {
    say(`${o.name}: ${o.connections} connections, ${duration} s`);
    const topFile = path.join(OUT, `top-${stamp}-${o.name.replace(/\W+/g, '-')}-${o.connections}.txt`);
    const m = await measure({ ...o, duration, serverPid: server.pid, topFile });
    const gone = server.gone();
    if (gone) throw new Error(`the server ${gone} during ${o.name}; see ${path.relative(ROOT, logFile)}`);
    return m;
  };
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const signaturesUrl = `${server.url}/api/petitions/${petition.id}/signatures`;

  const healthz = await run({ name: 'GET /healthz', url: `${server.url}/healthz`, connections: CONNECTIONS });
  const progress = await run({
    name: 'GET /progress',
    url: `${server.url}/api/petitions/${petition.id}/progress`,
    connections: CONNECTIONS,
  });
  const single = await run({
    name: 'POST /signatures',
    url: signaturesUrl,
    connections: CONNECTIONS,
    method: 'POST',
    headers: auth,
    requests: singleIntake(petition.counties),
    signersPerRequest: 1,
  });
  const batches = [];
  for (const connections of batchConnections) {
    batches.push(
      await run({
        name: 'POST /signatures/batch',
        url: `${signaturesUrl}/batch`,
        connections,
        method: 'POST',
        headers: auth,
        requests: batchIntake(petition.counties, BATCH_SIZE),
        signersPerRequest: BATCH_SIZE,
      }),
    );
  }

  say('letting requests still in flight finish, folding deltas, verifying');
  await sleep(2000);
  await foldDeltas(db.knex);
  const counts = await statusCounts(db.knex, petition.id);
  const totals = await progressTotals(server.url, petition.id);
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  const statuses = ['pending', 'valid', 'invalid', 'duplicate'] as const;
  const recountStarted = performance.now();
  const report = await recount(db.knex);
  const recountSeconds = (performance.now() - recountStarted) / 1000;

  const result: Report = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(
      ' ',
    ),
    machine: `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB; Node ${process.version}; ${(await db.knex.raw<{ rows: { v: string }[] }>("select split_part(version(), ' on ', 1) as v")).rows[0]?.v ?? 'PostgreSQL'} on 127.0.0.1; server and load generator share the cores`,
    background,
    duration,
    load: { signers, seconds: loadSeconds, rollupSeconds },
    healthz,
    progress,
    single,
    batches,
    exactness: {
      rows,
      progressRaw: totals.raw,
      statusesMatch: statuses.every((s) => (counts[s] ?? 0) === totals[s]),
      expectedAtLeast: signers + acknowledged.signers,
      // Each warm-up and each measured run may stop with one request per connection unanswered.
      inFlightBound: 2 * (CONNECTIONS + batchConnections.reduce((a, c) => a + c * BATCH_SIZE, 0)),
      drift: report.drift.length,
      recountSeconds,
    },
  };
  const md = markdown(result);
  console.log(`\n${md}`);
  writeFileSync(path.join(OUT, 'latest.md'), md);
  writeFileSync(path.join(OUT, `bench-${stamp}.md`), md);
  say(`summary written to bench-results/latest.md`);
  return verdicts(result).every((v) => v.met);
}

async function cleanUp(cleanups: (() => Promise<unknown>)[]): Promise<void> {
  for (const step of cleanups.reverse()) await step().catch((err: unknown) => say(`cleanup: ${String(err)}`));
  cleanups.length = 0;
}

const cleanups: (() => Promise<unknown>)[] = [];
const limitMs = 15 * 60_000 + (signers / 1e6) * 10 * 60_000 + (4 + batchConnections.length) * duration * 3000;
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
