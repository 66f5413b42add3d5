import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../scripts/bench/server';
import { PGBOUNCER, startPgbouncer, stopPgbouncer } from '../../scripts/pgbouncer';
import { startReplicaPair, stopReplicaPair } from '../../scripts/pg-replica';
import { openDatabase } from '../../server/db';
import { usingPostgres } from '../support/app';
import { checkExactness, NO_PROBLEMS, problems, report } from './support/checks';
import { call, readProgress, setUpCampaign } from './support/http';
import { LoadGenerator, stopAllLoads } from './support/load';
import { freshFaultDatabase, ServerProcess, type FaultDatabase } from './support/server';

/*
 * Past one database connection: the app with a streaming replica for its heavy reads, and the app
 * through PgBouncer in transaction-pooling mode. Both run the real server against real servers.
 */
let server: ServerProcess | undefined;
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  await stopAllLoads();
  await server?.dispose();
  server = undefined;
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

async function onServer(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const withDatabase = (base: string, name: string) => {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
};

const signerBody = (n: number) => ({
  firstName: `Replica${n}`,
  lastName: 'Reader',
  addressLine1: `${n} Main St`,
  city: 'Oakland',
  zip: '94601',
  countyFips: '06001',
});

const havePostgresTools = existsSync('/usr/lib/postgresql') && process.getuid?.() === 0;

(havePostgresTools ? it : it.skip)(
  'with a streaming replica for reads, every read right after a write sees it, and the reads reach the replica',
  async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'petition-replica-'));
    const pair = startReplicaPair(dir, { primary: await freePort(), replica: await freePort() });
    cleanups.push(() => {
      stopReplicaPair(dir);
      rmSync(dir, { recursive: true, force: true });
    });
    await onServer(pair.primaryUrl, 'create database app');
    const primaryUrl = withDatabase(pair.primaryUrl, 'app');
    const replicaUrl = withDatabase(pair.replicaUrl, 'app');
    const db: FaultDatabase = {
      label: 'replica pair',
      kind: 'postgres',
      env: { DATABASE_URL: primaryUrl, DATABASE_READ_URL: replicaUrl },
      open: () => openDatabase({ databaseUrl: primaryUrl, dataDir: '.', poolMax: 2 }),
      terminateBackends: () => Promise.resolve(0),
      dispose: () => undefined as unknown as Promise<void>,
    };
    server = await ServerProcess.start('replica', db);
    const s = server;
    const campaign = await setUpCampaign(s.url);
    const petitionPath = `/api/petitions/${campaign.petition.id}`;
    const volunteer = { Authorization: `Bearer ${campaign.volunteerToken}` };
    const admin = { Authorization: `Bearer ${campaign.adminToken}` };

    let last = '';
    for (let n = 1; n <= 20; n++) {
      const stored = await call(s.url, `${petitionPath}/signatures`, {
        method: 'POST',
        headers: { ...volunteer, 'Idempotency-Key': crypto.randomUUID() },
        body: signerBody(n),
      });
      expect(stored.status).toBe(201);
      last = (stored.json as { id: string }).id;
      // Read at once, as the dashboard and the volunteer app do.
      expect((await readProgress(s.url, campaign.petition.id, campaign.adminToken)).totals.raw).toBe(n);
      const mine = await call(s.url, `${petitionPath}/signatures?limit=1`, { headers: volunteer });
      expect((mine.json as { items: { id: string }[] }).items[0]?.id).toBe(last);
    }
    const changed = await call(s.url, `${petitionPath}/signatures/${last}`, {
      method: 'PATCH',
      headers: admin,
      body: { status: 'valid' },
    });
    expect(changed.status).toBe(200);
    expect((await readProgress(s.url, campaign.petition.id, campaign.adminToken)).totals.valid).toBe(1);

    const replica = new pg.Client({ connectionString: replicaUrl });
    await replica.connect();
    const { rows } = await replica.query(
      "select count(*)::int as n from pg_stat_activity where datname = 'app' and pid <> pg_backend_pid()",
    );
    const { rows: recovery } = await replica.query('select pg_is_in_recovery() as standby');
    await replica.end();
    expect(recovery[0].standby).toBe(true);
    expect(rows[0].n).toBeGreaterThan(0);
    expect(await s.terminate()).toEqual({ code: 0, signal: null });
  },
);

(usingPostgres && existsSync(PGBOUNCER) ? it : it.skip)(
  'through PgBouncer in transaction pooling, intake stays exact, a voter file streams in and a verification run finishes',
  async () => {
    const fault = await freshFaultDatabase();
    cleanups.push(() => fault.dispose());
    const dir = mkdtempSync(path.join(os.tmpdir(), 'petition-pgbouncer-'));
    const direct = new URL(fault.env.DATABASE_URL as string);
    const bouncer = startPgbouncer(dir, await freePort(), `postgres://${direct.username}@${direct.host}`);
    cleanups.push(() => {
      stopPgbouncer(dir);
      rmSync(dir, { recursive: true, force: true });
    });
    const pooled: FaultDatabase = {
      ...fault,
      env: { DATABASE_URL: withDatabase(bouncer, fault.label), DATABASE_LISTEN_URL: direct.toString() },
    };
    server = await ServerProcess.start('pgbouncer', pooled);
    const s = server;
    const campaign = await setUpCampaign(s.url);
    const load = new LoadGenerator({
      baseUrl: () => s.url,
      petitionId: campaign.petition.id,
      credentials: [{ token: campaign.volunteerToken }, { cookie: campaign.volunteerCookie }],
      tag: 'pgbouncer',
      clients: 8,
    });
    load.start();
    await load.waitForAcknowledged(600, 90_000);
    const figures = await load.stop(60_000);
    const before = await readProgress(s.url, campaign.petition.id, campaign.adminToken);

    const admin = { Authorization: `Bearer ${campaign.adminToken}` };
    const voters = await call(s.url, '/api/voter-files?state=CA', {
      method: 'POST',
      headers: { ...admin, 'Content-Type': 'text/csv' },
      raw: 'voter_id,first_name,middle_name,last_name,house_number,street,unit,city,zip,county_fips,date_of_birth,status\nV1,Ann,,Lee,12,Main Street,,Oakland,94601,06001,1980-01-02,active\n',
    });
    expect(voters.status).toBe(202);
    const importId = (voters.json as { importId: string }).importId;
    let imported: { status: string; rowsLoaded: number } = { status: 'running', rowsLoaded: 0 };
    for (let i = 0; i < 100 && imported.status === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      imported = (await call(s.url, `/api/voter-files/${importId}`, { headers: admin }))
        .json as typeof imported;
    }
    // Streamed in with COPY through the pooler.
    expect(imported).toMatchObject({ status: 'done', rowsLoaded: 1 });
    const run = await call(s.url, `/api/petitions/${campaign.petition.id}/verification-runs`, {
      method: 'POST',
      headers: admin,
    });
    expect(run.status).toBe(202);
    const runPath = `/api/petitions/${campaign.petition.id}/verification-runs/${(run.json as { runId: string }).runId}`;
    let checked: { status: string; checked: number } = { status: 'running', checked: 0 };
    for (let i = 0; i < 100 && checked.status === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      checked = (await call(s.url, runPath, { headers: admin })).json as typeof checked;
    }
    expect(checked).toMatchObject({ status: 'done', checked: before.totals.raw });
    const progress = await readProgress(s.url, campaign.petition.id, campaign.adminToken);

    expect(await s.terminate()).toEqual({ code: 0, signal: null });
    const exactness = await checkExactness(fault, campaign.petition.id, load, progress);
    report('pgbouncer', figures, 0, exactness);
    expect(figures.errors).toEqual({});
    expect(problems(exactness)).toEqual(NO_PROBLEMS);
    expect(progress.totals.raw).toBe(exactness.stored);
  },
);
