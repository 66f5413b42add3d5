/*
 * npm run bench:verification [-- --voters N] [--signers N] [--keep]
 *
 * On a fresh local PostgreSQL database: writes a synthetic voter file of N voters (default 5,000,000),
 * loads it with `psql \copy` into an unindexed table of the same columns and with `npm run
 * voters:import` (rows/s of each, the importer's peak memory), loads signers (default 1,000,000) drawn
 * from those voters into a California petition, times one verification run over all of them, checks the
 * tallies with a recount, then times drawing the random sample and computing its projection.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { loadCountyDataset } from '../server/counties/dataset';
import { openDatabase } from '../server/db';
import { countyPicker, seededRandom, syntheticSigner, voterGenerator } from '../server/demo/synthetic';
import { loadPetition } from '../server/petitions/repo';
import { personKeys } from '../server/signatures/normalize';
import { recount } from '../server/tallies/recount';
import { prepareDatabase } from '../server/server';
import { loadConfig } from '../server/config';
import { beginRun, runVerification } from '../server/verification/matching';
import { drawSample, sampleDocument } from '../server/verification/samples';
import { VOTER_COLUMNS } from '../server/verification/voter-row';
import { createDatabase, dropDatabase } from './bench/server';

const PG_BASE = process.env.BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432';
const ROOT = path.resolve(__dirname, '..');
const { values: args } = parseArgs({
  options: {
    voters: { type: 'string', default: '5000000' },
    signers: { type: 'string', default: '1000000' },
    keep: { type: 'boolean', default: false },
  },
});
const voterCount = Number(args.voters);
const signerCount = Number(args.signers);
if (!(voterCount >= 1000) || !(signerCount >= 1) || signerCount > voterCount) {
  throw new Error('--voters must be at least 1000 and --signers between 1 and --voters');
}
const say = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const counties = loadCountyDataset().filter((c) => c.state === 'CA');
const SEED = 7;

async function writeVoterFile(file: string): Promise<void> {
  const out = createWriteStream(file);
  const next = voterGenerator(seededRandom(SEED), countyPicker(counties, 'CA'), 'CA');
  let chunk = `${VOTER_COLUMNS.join(',')}\n`;
  for (let i = 0; i < voterCount; i++) {
    const v = next();
    chunk += `${v.voterId},${v.firstName},${v.middleName},${v.lastName},${v.houseNumber},${v.street},${v.unit},${v.city},${v.zip},${v.countyFips},${v.dateOfBirth},${v.status}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

function timed(cmd: string, argv: string[], env: NodeJS.ProcessEnv = process.env) {
  const started = Date.now();
  const run = spawnSync(cmd, argv, { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`${cmd} failed: ${run.stderr.slice(-2000)}`);
  return { ms: Date.now() - started, stdout: run.stdout };
}

/** Signers drawn from the same voters (same seed): most as registered, some wrong county, typos, strangers. */
async function loadSigners(url: string, petitionId: string, circulatorId: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const columns =
    'petition_id, idempotency_key, request_hash, circulator_id, first_name, last_name, address_line1, city, zip, county_fips, signed_at, match_key';
  const rng = seededRandom(11);
  const next = voterGenerator(seededRandom(SEED), countyPicker(counties, 'CA'), 'CA');
  const every = voterCount / signerCount;
  const now = Date.now();
  let copy = client.query(copyFrom(`copy signatures (${columns}) from stdin`));
  let inCopy = 0;
  let buffer = '';
  const seen = new Set<string>();
  let made = 0;
  for (let i = 0; made < signerCount && i < voterCount; i++) {
    const v = next();
    if (i < made * every) continue;
    const r = rng();
    let s = {
      firstName: v.firstName,
      lastName: v.lastName,
      addressLine1: `${v.houseNumber} ${v.street}`,
      city: v.city,
      zip: v.zip,
      countyFips: v.countyFips,
    };
    if (r < 0.05)
      s = { ...s, countyFips: (counties[Math.floor(rng() * counties.length)] as { fips: string }).fips };
    else if (r < 0.1) s = { ...s, firstName: `${s.firstName}e` };
    else if (r < 0.2)
      s = syntheticSigner(
        rng,
        counties[Math.floor(rng() * counties.length)] as { fips: string; name: string },
      );
    const key = personKeys({ ...s, addressLine2: v.unit ? `unit ${v.unit}` : null }).match;
    if (seen.has(key)) continue;
    seen.add(key);
    made++;
    const signedAt = new Date(now - rng() * 60 * 86_400_000).toISOString();
    buffer +=
      [
        petitionId,
        randomUUID(),
        'bench',
        circulatorId,
        s.firstName,
        s.lastName,
        s.addressLine1,
        s.city,
        s.zip,
        s.countyFips,
        signedAt,
        key,
      ].join('\t') + '\n';
    inCopy++;
    if (buffer.length > 1 << 20 && !copy.write(buffer)) await once(copy, 'drain');
    if (buffer.length > 1 << 20) buffer = '';
    if (inCopy >= 100_000) {
      copy.end(buffer);
      buffer = '';
      await once(copy, 'finish');
      copy = client.query(copyFrom(`copy signatures (${columns}) from stdin`));
      inCopy = 0;
    }
  }
  copy.end(buffer);
  await once(copy, 'finish');
  await client.end();
}

async function main(): Promise<void> {
  const name = `bench_verify_${Date.now()}`;
  const url = await createDatabase(PG_BASE, name);
  const dir = path.join(os.tmpdir(), name);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'voters.csv');
  const lines: string[] = [];
  try {
    say(`writing a synthetic voter file of ${voterCount} voters`);
    await writeVoterFile(file);

    const db = await prepareDatabase(loadConfig({ DATABASE_URL: url, DEMO: '0' }));
    await db.knex.raw(
      `create table voters_copy_baseline (${VOTER_COLUMNS.map((c) => `${c} text`).join(', ')})`,
    );
    await db.close();

    say('psql \\copy into an unindexed table of the same columns');
    const copy = timed('psql', [
      url,
      '-qc',
      `\\copy voters_copy_baseline from '${file}' with (format csv, header)`,
    ]);
    const copyRate = voterCount / (copy.ms / 1000);

    say('npm run voters:import');
    const imp = timed(
      '/usr/bin/time',
      ['-f', 'maxrss_kb=%M', 'node', '--import', 'tsx', 'scripts/voters-import.ts', '--state', 'CA', file],
      {
        ...process.env,
        DATABASE_URL: url,
      },
    );
    const importRate = voterCount / (imp.ms / 1000);
    const peak = /peak memory (\d+) MB/.exec(imp.stdout)?.[1] ?? '?';

    const { knex, close } = await openDatabase({ databaseUrl: url, dataDir: dir });
    try {
      const [user] = await knex('users')
        .insert({ email: 'bench@example.org', name: 'Bench', password_hash: 'x', is_admin: true })
        .returning('id');
      const [p] = await knex('petitions')
        .insert({
          slug: 'bench',
          title: 'Bench',
          state: 'CA',
          measure_type: 'constitutional_amendment',
          signatures_required: 585_407,
          circulation_start: '2026-01-01',
          deadline: '2027-06-30',
          status: 'circulating',
        })
        .returning('id');
      await knex('petition_counties').insert(counties.map((c) => ({ petition_id: p.id, fips: c.fips })));
      say(`loading ${signerCount} signers drawn from the voters`);
      const loadStart = Date.now();
      await loadSigners(url, p.id, user.id);
      await knex.raw('analyze signatures');
      const loadMs = Date.now() - loadStart;
      const petition = await loadPetition(knex, p.id);
      if (!petition) throw new Error('the bench petition vanished');

      say('verification run');
      const runStart = Date.now();
      const runId = await beginRun(knex, petition, user.id);
      const counts = await runVerification(knex, petition, runId, user.id);
      const runMs = Date.now() - runStart;
      const drift = (await recount(knex)).drift.length;

      say('drawing the sample and computing its projection');
      const sampleStart = Date.now();
      const sampleId = await drawSample(knex, petition, user.id, 'bench');
      const drawMs = Date.now() - sampleStart;
      const doc = await sampleDocument(knex, petition, sampleId);
      const sampleMs = Date.now() - sampleStart;

      lines.push(
        `| measurement | result | target |`,
        `|---|---|---|`,
        `| psql \\copy, ${voterCount.toLocaleString('en-US')} rows into an unindexed table | ${seconds(copy.ms)} s, ${Math.round(copyRate).toLocaleString('en-US')} rows/s | baseline |`,
        `| voters:import, same file (parse, check, normalize, COPY, index, swap) | ${seconds(imp.ms)} s, ${Math.round(importRate).toLocaleString('en-US')} rows/s = ${Math.round((100 * importRate) / copyRate)} % of \\copy | ≥ 60 % |`,
        `| voters:import peak RSS | ${peak} MB | < 300 MB |`,
        `| loading ${signerCount.toLocaleString('en-US')} signers (COPY, triggers on) | ${seconds(loadMs)} s | — |`,
        `| verification run, ${counts.checked.toLocaleString('en-US')} pending signers vs ${voterCount.toLocaleString('en-US')} voters | ${seconds(runMs)} s (valid ${counts.valid}, not registered ${counts.notRegistered}, wrong county ${counts.wrongCounty}, review ${counts.needsReview}) | < 120 s |`,
        `| recount after the run | ${drift === 0 ? 'no drift' : `${drift} drifting tallies`} | no drift |`,
        `| drawing the sample (${doc.totals.sampleSize.toLocaleString('en-US')} of ${doc.totals.raw.toLocaleString('en-US')}) + projection | ${seconds(sampleMs)} s (draw ${seconds(drawMs)} s) | < 5 s |`,
      );
    } finally {
      await close();
    }
    const report = lines.join('\n');
    console.log(`\n${report}\n`);
    mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
    writeFileSync(path.join(ROOT, 'bench-results', 'verification.md'), `${report}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (!args.keep) await dropDatabase(PG_BASE, name);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
