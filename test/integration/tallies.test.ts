import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { rollupTallies } from '../../server/tallies/rollup';
import { recount } from '../../server/tallies/recount';
import { firstSheet, rawBody } from '../support/downloads';
import { makeMember, makePetition, postSigner, signer } from '../support/factories';
import { openTestApp, useTestApp, usingPostgres, type TestApp } from '../support/app';
import { waitForLockWait } from '../support/locks';

const app = useTestApp();
let t: TestApp;
beforeAll(() => {
  t = app();
});

describe('progress', () => {
  it('counts every status per county and in total, exactly as the signers stand', async () => {
    const { petition, admin } = await makePetition(t.ctx, { signaturesRequired: 100 });
    const organizer = await makeMember(t.ctx, petition.id, 'organizer');
    const ids: string[] = [];
    for (const countyFips of ['06001', '06001', '06001', '06075']) {
      ids.push((await postSigner(t.app, petition.id, admin, signer({ countyFips }))).body.id);
    }
    await postSigner(t.app, petition.id, admin, signer({ firstName: 'Twice', countyFips: '06075' }));
    await postSigner(t.app, petition.id, admin, signer({ firstName: 'Twice', countyFips: '06075' }));
    const patch = (id: string, body: object) =>
      request(t.app).patch(`/api/petitions/${petition.id}/signatures/${id}`).set(organizer.auth).send(body);
    await patch(ids[0] as string, { status: 'valid' });
    await patch(ids[1] as string, { status: 'invalid', reason: 'not_registered' });

    const res = await request(t.app).get(`/api/petitions/${petition.id}/progress`).set(organizer.auth);
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.petition).toEqual({
      id: petition.id,
      slug: petition.slug,
      title: petition.title,
      signaturesRequired: 100,
      deadline: petition.deadline,
    });
    expect(doc.counties).toHaveLength(58);
    const alameda = doc.counties.find((c: { fips: string }) => c.fips === '06001');
    const sf = doc.counties.find((c: { fips: string }) => c.fips === '06075');
    expect(alameda).toMatchObject({
      raw: 3,
      pending: 1,
      valid: 1,
      invalid: 1,
      duplicate: 0,
      validityRate: 0.5,
    });
    expect(sf).toMatchObject({ raw: 3, pending: 2, valid: 0, invalid: 0, duplicate: 1, validityRate: null });
    // fewer than 30 checked anywhere: pending projected at the assumed 0.75
    expect(alameda.projectedValid).toBe(1 + Math.floor(1 * 0.75));
    expect(sf.projectedValid).toBe(Math.floor(2 * 0.75));
    expect(doc.totals).toMatchObject({
      raw: 6,
      pending: 3,
      valid: 1,
      invalid: 1,
      duplicate: 1,
      validityRate: 0.5,
    });
    expect(doc.totals.projectedValid).toBe(alameda.projectedValid + sf.projectedValid);
    expect(doc.totals.percentOfRequired).toBeCloseTo(6, 10);
    expect(doc.band).toBe('below_95');
    expect(doc.daily.reduce((s: number, d: { raw: number }) => s + d.raw, 0)).toBe(6);
    expect(doc.pace.last7DaysPerDay).toBeCloseTo(6 / 7, 10);
    expect(JSON.stringify(doc)).not.toMatch(/Twice|Main Street|Oakland/);
  });

  it('shows a public petition to anyone and a private one only to its members', async () => {
    const { petition: open } = await makePetition(t.ctx, { public: true });
    const { petition: closed } = await makePetition(t.ctx);
    const viewer = await makeMember(t.ctx, closed.id, 'viewer');
    expect((await request(t.app).get(`/api/petitions/${open.slug}/progress`)).status).toBe(200);
    expect((await request(t.app).get(`/api/petitions/${closed.id}/progress`)).status).toBe(404);
    expect((await request(t.app).get(`/api/petitions/${closed.id}/progress`).set(viewer.auth)).status).toBe(
      200,
    );
    expect((await request(t.app).get(`/api/petitions/${open.id}/tallies.csv`)).status).toBe(401);
  });

  it('when several volunteers record and organizers check at once, then the tallies equal a recount', async () => {
    const { petition } = await makePetition(t.ctx);
    const volunteers = await Promise.all([1, 2, 3, 4].map(() => makeMember(t.ctx, petition.id, 'volunteer')));
    const organizer = await makeMember(t.ctx, petition.id, 'organizer');
    const counties = ['06001', '06037', '06075', '06085'];
    const stored: string[] = [];
    // The rollup folds deltas the whole time the writers write, as it does in a running server.
    let writing = true;
    let rollups = 0;
    const rolling = (async () => {
      while (writing) {
        await rollupTallies(t.ctx.knex);
        rollups++;
        // The embedded database has one connection: leave the writers their turn.
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    await Promise.all(
      volunteers.map(async (v, i) => {
        for (let n = 0; n < 15; n++) {
          const body =
            n % 5 === 4
              ? signer({ firstName: `Shared ${n}` })
              : signer({ countyFips: counties[(i + n) % 4] });
          const res = await postSigner(t.app, petition.id, v, body);
          stored.push(res.body.id);
          if (n % 3 === 0) {
            await request(t.app)
              .patch(`/api/petitions/${petition.id}/signatures/${res.body.id}`)
              .set(organizer.auth)
              .send(n % 2 ? { status: 'valid' } : { status: 'invalid', reason: 'incomplete' });
          }
        }
      }),
    );
    const batch = Array.from({ length: 40 }, (_, i) => ({
      idempotencyKey: randomUUID(),
      ...signer({ countyFips: counties[i % 4] }),
    }));
    await request(t.app)
      .post(`/api/petitions/${petition.id}/signatures/batch`)
      .set(organizer.auth)
      .send({ signatures: batch });
    writing = false;
    await rolling;
    expect(rollups).toBeGreaterThan(1);

    const before = (await request(t.app).get(`/api/petitions/${petition.id}/progress`).set(organizer.auth))
      .body;
    expect(before.totals.raw).toBe(100);
    const counted: { status: string; n: number }[] = await t.ctx
      .knex('signatures')
      .where({ petition_id: petition.id })
      .groupBy('status')
      .select('status', t.ctx.knex.raw('count(*)::int as n'));
    for (const { status, n } of counted) expect(before.totals[status]).toBe(n);
    expect((await recount(t.ctx.knex)).drift).toEqual([]);

    await rollupTallies(t.ctx.knex);
    const after = (await request(t.app).get(`/api/petitions/${petition.id}/progress`).set(organizer.auth))
      .body;
    expect(after.totals).toEqual(before.totals);
    expect(after.counties).toEqual(before.counties);
    expect((await recount(t.ctx.knex)).drift).toEqual([]);
  });

  it('counts the last 7 × 24 hours to the second, before and after the rollup', async () => {
    const { petition, admin } = await makePetition(t.ctx);
    const weekAgo = Date.now() - 168 * 3_600_000;
    const at = (ms: number) => new Date(ms).toISOString();
    await postSigner(t.app, petition.id, admin, signer({ signedAt: at(weekAgo + 10_000) }));
    await postSigner(t.app, petition.id, admin, signer({ signedAt: at(weekAgo - 10_000) }));
    await postSigner(t.app, petition.id, admin, signer());
    const read = async () =>
      (await request(t.app).get(`/api/petitions/${petition.id}/progress`).set(admin.auth)).body;
    const before = await read();
    expect(before.totals.raw).toBe(3);
    expect(before.pace.last7DaysPerDay).toBeCloseTo(2 / 7, 12);
    await rollupTallies(t.ctx.knex);
    t.ctx.bus.publish({ kind: 'tallies', id: petition.id });
    expect((await read()).pace.last7DaysPerDay).toBeCloseTo(2 / 7, 12);
    expect((await recount(t.ctx.knex)).drift).toEqual([]);
  });

  it('recount finds a tally that no longer matches the signers, and --fix repairs it', async () => {
    const { petition, admin } = await makePetition(t.ctx);
    await postSigner(t.app, petition.id, admin, signer());
    await rollupTallies(t.ctx.knex);
    await t.ctx.knex('county_tallies').where({ petition_id: petition.id }).increment('n', 5);
    const report = await recount(t.ctx.knex);
    expect(report.drift).toContainEqual({
      petitionId: petition.id,
      what: 'county 06001 pending',
      expected: 1,
      kept: 6,
    });
    await t.ctx.knex('second_tallies').where({ petition_id: petition.id }).increment('n', 1);
    expect((await recount(t.ctx.knex)).drift).toContainEqual(
      expect.objectContaining({ petitionId: petition.id, what: expect.stringMatching(/^second /) }),
    );
    expect((await recount(t.ctx.knex, { fix: true })).fixed).toBe(true);
    expect((await recount(t.ctx.knex)).drift).toEqual([]);
  });
});

describe('county tallies CSV', () => {
  it('downloads one row per county and a TOTAL row matching the progress document', async () => {
    const { petition, admin } = await makePetition(t.ctx, {
      counties: [{ fips: '06001', target: 40 }, { fips: '06075' }],
    });
    const viewer = await makeMember(t.ctx, petition.id, 'viewer');
    await postSigner(t.app, petition.id, admin, signer());
    await postSigner(t.app, petition.id, admin, signer({ countyFips: '06075' }));
    const res = await request(t.app).get(`/api/petitions/${petition.id}/tallies.csv`).set(viewer.auth);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="?[\w-]+-county-tallies-\d{4}-\d\d-\d\d\.csv"?$/,
    );
    expect(res.text.split('\r\n')).toEqual([
      'county_fips,county,raw,pending,valid,invalid,duplicate,validity_rate,projected_valid,target',
      '06001,Alameda,1,1,0,0,0,,0,40',
      '06075,San Francisco,1,1,0,0,0,,0,',
      ',TOTAL,2,2,0,0,0,,0,40',
      '',
    ]);
    const bom = await request(t.app).get(`/api/petitions/${petition.id}/tallies.csv?bom=1`).set(viewer.auth);
    expect(bom.text.charCodeAt(0)).toBe(0xfeff);
  });
});

describe('county tallies workbook', () => {
  it('downloads the CSV’s rows as a workbook, FIPS codes as text, for viewers and up only', async () => {
    const { petition, admin } = await makePetition(t.ctx, { public: true });
    const viewer = await makeMember(t.ctx, petition.id, 'viewer');
    await postSigner(t.app, petition.id, admin, signer());
    const url = `/api/petitions/${petition.id}/tallies.xlsx`;
    const res = await request(t.app).get(url).set(viewer.auth).buffer(true).parse(rawBody);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="?[\w-]+-county-tallies-\d{4}-\d\d-\d\d\.xlsx"?$/,
    );
    const sheet = await firstSheet(res.body as Buffer);
    expect(sheet.getRow(2).getCell(1).value).toBe('06001');
    expect(sheet.getRow(2).getCell(3).value).toBe(1);
    expect(sheet.getRow(sheet.rowCount).getCell(2).value).toBe('TOTAL');
    expect((await request(t.app).get(url)).status).toBe(401);
  });
});

/** Opens the SSE stream on a listening server and collects `progress` events. */
function openStream(app: TestApp['app'], path: string) {
  const server = http.createServer(app).listen(0);
  const events: { raw: number }[] = [];
  let req: http.ClientRequest | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    server.once('listening', () => {
      const { port } = server.address() as AddressInfo;
      req = http.get({ port, path }, (res) => {
        expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
        let buffer = '';
        res.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          const parts = buffer.split('\n\n');
          buffer = parts.pop() ?? '';
          for (const part of parts) {
            const data = part.split('\n').find((l) => l.startsWith('data: '));
            if (part.includes('event: progress') && data) events.push(JSON.parse(data.slice(6)).totals);
            if (events.length === 1) resolve();
          }
        });
      });
      req.on('error', reject);
    });
  });
  const waitFor = async (raw: number) => {
    for (let i = 0; i < 100 && !events.some((e) => e.raw === raw); i++)
      await new Promise((r) => setTimeout(r, 50));
    return events.some((e) => e.raw === raw);
  };
  const close = () =>
    new Promise<void>((resolve) => {
      req?.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { events, ready, waitFor, close };
}

describe('progress stream', () => {
  it('sends the document at once and again when a signer is recorded', async () => {
    const { petition, admin } = await makePetition(t.ctx, { public: true });
    const stream = openStream(t.app, `/api/petitions/${petition.id}/progress/stream`);
    await stream.ready;
    expect(stream.events[0]?.raw).toBe(0);
    await postSigner(t.app, petition.id, admin, signer());
    expect(await stream.waitFor(1)).toBe(true);
    await stream.close();
  });

  it('sends the change even when a reader fetched the new document before the push', async () => {
    const { petition, admin } = await makePetition(t.ctx, { public: true });
    const stream = openStream(t.app, `/api/petitions/${petition.id}/progress/stream`);
    await stream.ready;
    for (const raw of [1, 2]) {
      await postSigner(t.app, petition.id, admin, signer());
      // A dashboard's GET, at once: it computes the new document before the stream's push is due.
      expect((await request(t.app).get(`/api/petitions/${petition.id}/progress`)).body.totals.raw).toBe(raw);
      expect(await stream.waitFor(raw)).toBe(true);
    }
    await stream.close();
  });

  (usingPostgres ? it : it.skip)(
    'when a reader leaves while the first document is being computed, then nothing of the stream is left behind',
    async () => {
      const { petition } = await makePetition(t.ctx, { public: true });
      const before = t.ctx.progress.openStreams();
      // Holds the tallies so that the stream's first computation waits, until the reader has gone.
      const trx = await t.ctx.knex.transaction();
      try {
        await trx.raw('lock table county_tallies in access exclusive mode');
        const stream = openStream(t.app, `/api/petitions/${petition.id}/progress/stream`);
        // It never gets its first event: the reader hangs up first.
        stream.ready.catch(() => undefined);
        await waitForLockWait(t.ctx.knex, 'with deltas as');
        await stream.close();
        await trx.commit();
      } finally {
        if (!trx.isCompleted()) await trx.rollback();
      }
      await t.ctx.progress.snapshot(petition.id);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(t.ctx.progress.openStreams()).toBe(before);
    },
  );

  (usingPostgres ? it : it.skip)('carries a change made by another app process to every stream', async () => {
    const other = await openTestApp(t.dataDir);
    try {
      const { petition, admin } = await makePetition(t.ctx, { public: true });
      const stream = openStream(t.app, `/api/petitions/${petition.id}/progress/stream`);
      await stream.ready;
      await postSigner(other.app, petition.id, admin, signer());
      expect(await stream.waitFor(1)).toBe(true);
      await stream.close();
    } finally {
      await other.close();
    }
  });
});
