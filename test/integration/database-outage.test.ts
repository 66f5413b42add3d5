import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { openTestApp, removeDataDir, usingPostgres, type TestApp } from '../support/app';
import { makeMember, makePetition, signer, unique } from '../support/factories';

// The app's own connections are told apart by their application_name, so that cutting them leaves the
// other test files' connections to the same database alone.
const appName = unique('outage').replace(/[^a-z0-9]/gi, '_');
let t: TestApp;
let control: TestApp;

const cut = async () => {
  const { rows } = await control.ctx.knex.raw<{ rows: { n: number }[] }>(
    'select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name = ?',
    [appName],
  );
  return rows[0]?.n ?? 0;
};

const unhandled: unknown[] = [];
const onUnhandled = (err: unknown) => unhandled.push(err);

(usingPostgres ? describe : describe.skip)('when the database connections are cut', () => {
  beforeAll(async () => {
    const url = new URL(process.env.DATABASE_URL as string);
    url.searchParams.set('application_name', appName);
    t = await openTestApp(undefined, { DATABASE_URL: url.toString() });
    control = await openTestApp();
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    for (const app of [t, control]) {
      await app?.close();
      if (app) removeDataDir(app.dataDir);
    }
  });

  it('answers 503 with Retry-After while they are gone, never 500, and recovers by itself', async () => {
    const { petition } = await makePetition(control.ctx);
    const volunteer = await makeMember(control.ctx, petition.id, 'volunteer');
    // Signed in with a session cookie, so the session store's reads and writes are cut too.
    const agent = request.agent(t.app);
    expect(
      (await agent.post('/api/auth/login').send({ email: volunteer.email, password: volunteer.password }))
        .status,
    ).toBe(200);

    const sent = new Map<string, object>();
    const send = (key: string) =>
      agent
        .post(`/api/petitions/${petition.id}/signatures`)
        .set('Idempotency-Key', key)
        .send(sent.get(key) ?? {});
    const statuses: number[] = [];
    const problems: request.Response[] = [];
    let killed = 0;
    for (let round = 0; round < 4; round++) {
      const keys = Array.from({ length: 12 }, () => randomUUID());
      for (const key of keys) sent.set(key, signer());
      const inFlight = Promise.all(keys.map(send));
      killed += await cut();
      for (const res of await inFlight) {
        statuses.push(res.status);
        if (res.status >= 500) problems.push(res);
      }
    }
    expect(killed).toBeGreaterThan(0);
    for (const res of problems) {
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.text).not.toMatch(/select|insert|terminating|at .*\.ts/i);
    }
    expect(statuses.every((s) => s === 201 || s === 503)).toBe(true);

    // Retrying every key as the volunteer app does stores each signer exactly once.
    for (const key of sent.keys()) expect([200, 201]).toContain((await send(key)).status);
    const rows = await control.ctx
      .knex('signatures')
      .where({ petition_id: petition.id })
      .select('idempotency_key');
    expect(rows.map((r) => r.idempotency_key).sort()).toEqual([...sent.keys()].sort());
    expect((await agent.get('/api/auth/me')).status).toBe(200);
    expect((await request(t.app).get('/readyz')).status).toBe(200);
    expect(unhandled).toEqual([]);
  });
});
