import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { recount } from '../../server/tallies/recount';
import { firstSheet, rawBody } from '../support/downloads';
import { makeMember, makePetition, makeUser, postSigner, signer, type TestUser } from '../support/factories';
import { useTestApp, usingPostgres, type TestApp } from '../support/app';
import type { Petition } from '../../server/petitions/repo';
import { beginRun, runVerification } from '../../server/verification/matching';
import { waitForLockWait } from '../support/locks';

const app = useTestApp();
let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  t = app();
  admin = await makeUser(t.ctx, { isAdmin: true });
});

const HEADER =
  'Voter ID,first_name,middle_name,last_name,house_number,street,unit,city,zip,county_fips,date_of_birth,status';
const VOTERS = [
  'V1,Ann,,Lee,12,Main Street,,Oakland,94601,06001,1980-01-02,active',
  'V2,Bob,,Stone,5,Oak Avenue,,San Francisco,94110,06075,1975-05-05,active',
  'V3,Cy,,Ray,7,Pine Street,,Oakland,94601,06001,1960-03-03,inactive',
  'V4,Dee,,Park,9,Elm Street,4,Oakland,94601,06001,1990-09-09,active',
  'V5,Joe,,Kim,3,Lake Road,,Oakland,94601,06001,1950-01-01,active',
  'V6,Joe,,Kim,3,Lake Road,,Oakland,94601,06001,1982-01-01,active',
  'V7,Eve,,Moss,21,Hill Street,,Oakland,94602,06001,1970-07-07,active',
  'V8,Bad,,,1,No Street,,Oakland,94601,06001,,active',
  'V9,Odd,,Row,1,Some Street,,Oakland,94601,99999,,active',
  '"V10,with comma",Fay,,Lux,2,Main Street,,Oakland,94601,06001,,retired',
];

async function finishedImport(importId: string) {
  for (let i = 0; i < 100; i++) {
    const status = await request(t.app).get(`/api/voter-files/${importId}`).set(admin.auth);
    if (status.body.status !== 'running') return status.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the import did not finish');
}

async function importVoters(lines: string[]) {
  const res = await request(t.app)
    .post('/api/voter-files?state=CA&map=Voter%20ID%3Dvoter_id')
    .set(admin.auth)
    .set('Content-Type', 'text/csv')
    .send([HEADER, ...lines].join('\n') + '\n');
  expect(res.status).toBe(202);
  return finishedImport(res.body.importId);
}

async function finishRun(petitionId: string, user: TestUser) {
  const started = await request(t.app).post(`/api/petitions/${petitionId}/verification-runs`).set(user.auth);
  expect(started.status).toBe(202);
  for (let i = 0; i < 200; i++) {
    const run = await request(t.app)
      .get(`/api/petitions/${petitionId}/verification-runs/${started.body.runId}`)
      .set(user.auth);
    if (run.body.status !== 'running') return run.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the run did not finish');
}

describe('importing a voter file', () => {
  it('loads good rows, reports each bad one with its line number, and replaces the state on re-import', async () => {
    const first = await importVoters(VOTERS);
    expect(first).toMatchObject({ status: 'done', rowsRead: 10, rowsLoaded: 7, rowsRejected: 3 });
    expect(first.rejects).toEqual([
      { line: 9, reason: 'last_name is empty' },
      { line: 10, reason: 'county_fips 99999 is not a county of CA' },
      { line: 11, reason: 'status retired is not active, inactive or cancelled' },
    ]);
    const again = await importVoters([...VOTERS.slice(0, 7)]);
    expect(again).toMatchObject({ status: 'done', rowsLoaded: 7, rowsRejected: 0 });
    const { rows } = await t.ctx.knex.raw("select count(*)::int as n from voters where state = 'CA'");
    expect(rows[0].n).toBe(7);
  });

  it('refuses a file without the required columns, other content types and non-admins', async () => {
    const bad = await request(t.app)
      .post('/api/voter-files?state=CA')
      .set(admin.auth)
      .set('Content-Type', 'text/csv')
      .send('name,town\nAnn,Oakland\n');
    expect(bad.status).toBe(202);
    expect(await finishedImport(bad.body.importId)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/lacks voter_id/),
    });
    const json = await request(t.app).post('/api/voter-files?state=CA').set(admin.auth).send({ a: 1 });
    expect(json.status).toBe(415);
    const user = await makeUser(t.ctx);
    const refused = await request(t.app)
      .post('/api/voter-files?state=CA')
      .set(user.auth)
      .set('Content-Type', 'text/csv')
      .send(HEADER);
    expect(refused.status).toBe(403);
    expect(
      (
        await request(t.app)
          .post('/api/voter-files?state=XX')
          .set(admin.auth)
          .set('Content-Type', 'text/csv')
          .send(HEADER)
      ).status,
    ).toBe(400);
  });
});

describe('verifying signers against the voter file', () => {
  it('decides each signer by the rules, queues the uncertain ones with candidates, and keeps tallies exact', async () => {
    await importVoters(VOTERS.slice(0, 7));
    const { petition } = await makePetition(t.ctx);
    const organizer = await makeMember(t.ctx, petition.id, 'organizer');
    const volunteer = await makeMember(t.ctx, petition.id, 'volunteer');
    const record = async (body: Record<string, unknown>) =>
      (await postSigner(t.app, petition.id, volunteer, signer(body))).body.id as string;
    const ids = {
      valid: await record({
        firstName: 'ann',
        lastName: 'LEE',
        addressLine1: '12 Main St.',
        zip: '94601',
        countyFips: '06001',
      }),
      unit: await record({
        firstName: 'Dee',
        lastName: 'Park',
        addressLine1: '9 Elm St Apt 4',
        zip: '94601',
        countyFips: '06001',
      }),
      wrongCounty: await record({
        firstName: 'Bob',
        lastName: 'Stone',
        addressLine1: '5 Oak Ave',
        zip: '94110',
        countyFips: '06001',
      }),
      inactive: await record({
        firstName: 'Cy',
        lastName: 'Ray',
        addressLine1: '7 Pine Street',
        zip: '94601',
        countyFips: '06001',
      }),
      typo: await record({
        firstName: 'Anne',
        lastName: 'Lee',
        addressLine1: '12 Main Street',
        zip: '94601',
        countyFips: '06001',
      }),
      noHouse: await record({
        firstName: 'Eve',
        lastName: 'Moss',
        addressLine1: 'Hill Street',
        zip: '94602',
        countyFips: '06001',
      }),
      twoVoters: await record({
        firstName: 'Joe',
        lastName: 'Kim',
        addressLine1: '3 Lake Road',
        zip: '94601',
        countyFips: '06001',
      }),
      nobody: await record({
        firstName: 'Zoe',
        lastName: 'Void',
        addressLine1: '1 Nowhere Lane',
        zip: '90001',
        countyFips: '06037',
      }),
    };

    const run = await finishRun(petition.id, organizer);
    expect(run).toMatchObject({
      status: 'done',
      checked: 8,
      valid: 2,
      wrongCounty: 1,
      notRegistered: 2,
      needsReview: 3,
    });

    const statuses = await t.ctx
      .knex('signatures')
      .where({ petition_id: petition.id })
      .select('id', 'status', 'reason');
    const byId = new Map(statuses.map((s) => [s.id, s]));
    expect(byId.get(ids.valid)).toMatchObject({ status: 'valid', reason: null });
    expect(byId.get(ids.unit)).toMatchObject({ status: 'valid' });
    expect(byId.get(ids.wrongCounty)).toMatchObject({ status: 'invalid', reason: 'wrong_county' });
    expect(byId.get(ids.inactive)).toMatchObject({ status: 'invalid', reason: 'not_registered' });
    expect(byId.get(ids.nobody)).toMatchObject({ status: 'invalid', reason: 'not_registered' });
    for (const id of [ids.typo, ids.noHouse, ids.twoVoters])
      expect(byId.get(id)).toMatchObject({ status: 'pending' });

    const audit = await t.ctx
      .knex('audit_log')
      .where({ petition_id: petition.id, action: 'signature.status_changed' });
    expect(audit).toHaveLength(5);
    expect(audit.every((a) => a.detail.runId === run.id && a.actor_id === organizer.id)).toBe(true);

    const review = await request(t.app).get(`/api/petitions/${petition.id}/review`).set(organizer.auth);
    expect(review.status).toBe(200);
    const queued = new Map(review.body.items.map((i: { id: string }) => [i.id, i]));
    expect(queued.size).toBe(3);
    expect(queued.get(ids.typo)).toMatchObject({
      reason: 'near_miss',
      candidates: [expect.objectContaining({ voterId: 'V1' })],
    });
    expect((queued.get(ids.twoVoters) as { reason: string; candidates: unknown[] }).reason).toBe(
      'several_candidates',
    );
    expect((queued.get(ids.twoVoters) as { candidates: unknown[] }).candidates).toHaveLength(2);

    await request(t.app)
      .patch(`/api/petitions/${petition.id}/signatures/${ids.typo}`)
      .set(organizer.auth)
      .send({ status: 'valid' });
    const after = await request(t.app).get(`/api/petitions/${petition.id}/review`).set(organizer.auth);
    expect(after.body.items.map((i: { id: string }) => i.id)).not.toContain(ids.typo);

    const progress = (await request(t.app).get(`/api/petitions/${petition.id}/progress`).set(organizer.auth))
      .body;
    expect(progress.totals).toMatchObject({ raw: 8, valid: 3, invalid: 3, pending: 2 });
    expect((await recount(t.ctx.knex)).drift).toEqual([]);

    expect(
      (await request(t.app).get(`/api/petitions/${petition.id}/review`).set(volunteer.auth)).status,
    ).toBe(403);
    expect(
      (await request(t.app).post(`/api/petitions/${petition.id}/verification-runs`).set(volunteer.auth))
        .status,
    ).toBe(403);
  });

  (usingPostgres ? it : it.skip)(
    "when an organizer decides a signer while a run is under way, then the run leaves the organizer's decision alone",
    async () => {
      await importVoters(VOTERS.slice(0, 7));
      const { petition } = await makePetition(t.ctx);
      const organizer = await makeMember(t.ctx, petition.id, 'organizer');
      const exact = await postSigner(
        t.app,
        petition.id,
        organizer,
        signer({ firstName: 'Ann', lastName: 'Lee' }),
      );
      const nearMiss = await postSigner(
        t.app,
        petition.id,
        organizer,
        signer({ firstName: 'Anna', lastName: 'Leigh', addressLine1: '12 Main St' }),
      );
      const ids = [exact.body.id as string, nearMiss.body.id as string];
      // The organizer's change is being written (not yet committed) when the run reaches these signers.
      const trx = await t.ctx.knex.transaction();
      await trx('signatures')
        .where({ petition_id: petition.id })
        .whereIn('id', ids)
        .update({ status: 'invalid', reason: 'withdrawn' });
      try {
        const found = await t.ctx.petitions.find(petition.id);
        const runId = await beginRun(t.ctx.knex, found as Petition, organizer.id);
        const run = runVerification(t.ctx.knex, found as Petition, runId, organizer.id);
        await waitForLockWait(t.ctx.knex, 'with s as');
        await trx.commit();
        await run;
      } finally {
        if (!trx.isCompleted()) await trx.rollback();
      }

      const rows = await t.ctx.knex('signatures').whereIn('id', ids).select('status', 'reason');
      expect(rows).toEqual([
        { status: 'invalid', reason: 'withdrawn' },
        { status: 'invalid', reason: 'withdrawn' },
      ]);
      expect(await t.ctx.knex('review_items').whereIn('signature_id', ids)).toEqual([]);
      expect((await recount(t.ctx.knex)).drift).toEqual([]);
    },
  );

  it('allows one run at a time, unless the running one has stopped showing progress', async () => {
    const { petition, admin: owner } = await makePetition(t.ctx);
    const [stuck] = await t.ctx
      .knex('verification_runs')
      .insert({ petition_id: petition.id, created_by: owner.id })
      .returning('id');
    const url = `/api/petitions/${petition.id}/verification-runs`;
    expect((await request(t.app).post(url).set(owner.auth)).status).toBe(409);
    await t.ctx
      .knex('verification_runs')
      .where({ id: stuck.id })
      .update({ heartbeat_at: t.ctx.knex.raw("now() - interval '1 hour'") });
    expect((await request(t.app).post(url).set(owner.auth)).status).toBe(202);
    const old = await request(t.app).get(`${url}/${stuck.id}`).set(owner.auth);
    expect(old.body.status).toBe('failed');
  });

  it('refuses to run without a voter file for the state', async () => {
    const { petition, admin: owner } = await makePetition(t.ctx, {
      state: 'WY',
      counties: [{ fips: '56001' }],
    });
    const res = await request(t.app).post(`/api/petitions/${petition.id}/verification-runs`).set(owner.auth);
    expect(res.status).toBe(409);
  });
});

describe('the random sample', () => {
  it('is reproducible from its seed, counts repeats inside the sample, and reports by county as CSV', async () => {
    const { petition } = await makePetition(t.ctx, { signaturesRequired: 10 });
    const organizer = await makeMember(t.ctx, petition.id, 'organizer');
    const viewer = await makeMember(t.ctx, petition.id, 'viewer');
    const first = await postSigner(t.app, petition.id, organizer, signer({ firstName: 'Ann' }));
    await postSigner(t.app, petition.id, organizer, signer({ firstName: 'Ann' }));
    const ids = [first.body.id];
    for (let i = 0; i < 4; i++)
      ids.push((await postSigner(t.app, petition.id, organizer, signer({ countyFips: '06075' }))).body.id);
    for (const [i, id] of ids.entries()) {
      await request(t.app)
        .patch(`/api/petitions/${petition.id}/signatures/${id}`)
        .set(organizer.auth)
        .send(i < 4 ? { status: 'valid' } : { status: 'invalid', reason: 'not_registered' });
    }

    const a = await request(t.app)
      .post(`/api/petitions/${petition.id}/samples`)
      .set(organizer.auth)
      .send({ seed: 'abc' });
    expect(a.status).toBe(201);
    const alameda = a.body.counties.find((c: { fips: string }) => c.fips === '06001');
    // Fewer than 500 signers: the whole county is the sample; the repeat is a duplicate, never valid.
    expect(alameda).toMatchObject({
      raw: 2,
      sampleSize: 2,
      checked: 2,
      valid: 1,
      duplicates: 1,
      validityPercent: 50,
      v: 1,
      a: 1,
      penalty: 0,
      projectedValid: 1,
      complete: true,
    });
    expect(a.body.totals).toMatchObject({
      raw: 6,
      sampleSize: 6,
      checked: 6,
      valid: 4,
      duplicates: 1,
      projectedValid: 4,
    });
    expect(a.body).toMatchObject({
      seed: 'abc',
      signaturesRequired: 10,
      complete: true,
      band: 'raw_below_100',
    });

    const b = await request(t.app)
      .post(`/api/petitions/${petition.id}/samples`)
      .set(organizer.auth)
      .send({ seed: 'abc' });
    const drawn = async (id: string) =>
      (await t.ctx
        .knex('sample_signatures')
        .where({ sample_id: id })
        .orderBy('signature_id')
        .pluck('signature_id')) as string[];
    expect(await drawn(b.body.id)).toEqual(await drawn(a.body.id));

    const read = await request(t.app)
      .get(`/api/petitions/${petition.id}/samples/${a.body.id}`)
      .set(viewer.auth);
    expect(read.body.totals).toEqual(a.body.totals);
    const csv = await request(t.app)
      .get(`/api/petitions/${petition.id}/samples/${a.body.id}.csv`)
      .set(viewer.auth);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe(
      'county_fips,county,raw,sample_size,checked,valid,invalid,duplicates,validity_percent,v,a,penalty,projected_valid,complete',
    );
    expect(lines).toContain('06001,Alameda,2,2,2,1,1,1,50,1,1,0,1,true');
    expect(lines[lines.length - 2]).toBe(',TOTAL,6,6,6,4,2,1,,,,,4,true');
    const xlsx = await request(t.app)
      .get(`/api/petitions/${petition.id}/samples/${a.body.id}.xlsx`)
      .set(viewer.auth)
      .buffer(true)
      .parse(rawBody);
    expect(xlsx.status).toBe(200);
    const sheet = await firstSheet(xlsx.body as Buffer);
    const alamedaRow = sheet.getRows(2, sheet.rowCount - 1)?.find((r) => r.getCell(1).value === '06001');
    expect(alamedaRow?.getCell(9).value).toBe(50);
    expect(alamedaRow?.getCell(14).value).toBe(true);
    expect(
      (await request(t.app).post(`/api/petitions/${petition.id}/samples`).set(viewer.auth).send({})).status,
    ).toBe(403);
  });
});

describe('the random sample of a large county', () => {
  it('draws exactly the 500 lowest ranks of 1,200 signers, the same for the same seed', async () => {
    const { petition, admin: owner } = await makePetition(t.ctx, { counties: [{ fips: '06001' }] });
    const signatures = Array.from({ length: 1200 }, (_, i) => ({
      idempotencyKey: randomUUID(),
      ...signer({ firstName: `Many ${i}` }),
    }));
    for (let i = 0; i < signatures.length; i += 600) {
      await request(t.app)
        .post(`/api/petitions/${petition.id}/signatures/batch`)
        .set(owner.auth)
        .send({ signatures: signatures.slice(i, i + 600) });
    }
    const drawn = await request(t.app)
      .post(`/api/petitions/${petition.id}/samples`)
      .set(owner.auth)
      .send({ seed: 'wide' });
    expect(drawn.body.counties[0]).toMatchObject({ raw: 1200, sampleSize: 500 });
    const ids = async (sampleId: string) =>
      (await t.ctx
        .knex('sample_signatures')
        .where({ sample_id: sampleId })
        .orderBy('signature_id')
        .pluck('signature_id')) as string[];
    const { rows } = await t.ctx.knex.raw(
      `select id from signatures where petition_id = ?
        order by hashtextextended(id::text, hashtext('wide')), id limit 500`,
      [petition.id],
    );
    expect(await ids(drawn.body.id)).toEqual(rows.map((r: { id: string }) => r.id).sort());
    const again = await request(t.app)
      .post(`/api/petitions/${petition.id}/samples`)
      .set(owner.auth)
      .send({ seed: 'wide' });
    expect(await ids(again.body.id)).toEqual(await ids(drawn.body.id));
  });
});

describe('circulators, distribution rules and milestones', () => {
  it('reports each volunteer with rates, and the progress document carries the rule and milestones', async () => {
    const { petition } = await makePetition(t.ctx, {
      signaturesRequired: 4,
      counties: [
        { fips: '06001', target: 1 },
        { fips: '06075', target: 5 },
      ],
      distribution: { kind: 'min_counties_meeting_target', count: 1 },
    });
    const organizer = await makeMember(t.ctx, petition.id, 'organizer');
    const volunteer = await makeMember(t.ctx, petition.id, 'volunteer');
    const id = (await postSigner(t.app, petition.id, volunteer, signer())).body.id;
    await postSigner(t.app, petition.id, volunteer, signer({ signedAt: '2026-01-05T10:00:00Z' }));
    await request(t.app)
      .patch(`/api/petitions/${petition.id}/signatures/${id}`)
      .set(organizer.auth)
      .send({ status: 'valid' });

    const stats = await request(t.app).get(`/api/petitions/${petition.id}/circulators`).set(organizer.auth);
    expect(stats.status).toBe(200);
    expect(stats.body.items).toEqual([
      expect.objectContaining({
        userId: volunteer.id,
        raw: 2,
        valid: 1,
        invalid: 0,
        duplicate: 0,
        validityRate: 1,
        last7Days: 1,
        flags: [],
      }),
    ]);
    expect(
      (await request(t.app).get(`/api/petitions/${petition.id}/circulators`).set(volunteer.auth)).status,
    ).toBe(403);

    const progress = (await request(t.app).get(`/api/petitions/${petition.id}/progress`).set(organizer.auth))
      .body;
    expect(progress.distribution).toEqual({
      kind: 'min_counties_meeting_target',
      met: true,
      countiesMeetingTarget: 1,
    });
    expect(progress.milestones['25']).toBe('2026-01-05');
    expect(progress.milestones['50']).toBe(new Date().toISOString().slice(0, 10));
    expect(progress.milestones['100']).toBeNull();
  });
});

describe('purging personal data', () => {
  it('is refused until the petition is decided, then erases names and addresses and keeps every count', async () => {
    const { petition, admin: owner } = await makePetition(t.ctx);
    await postSigner(t.app, petition.id, owner, signer());
    await postSigner(t.app, petition.id, owner, signer({ countyFips: '06075' }));
    const url = `/api/petitions/${petition.id}/purge`;
    expect((await request(t.app).post(url).set(owner.auth)).status).toBe(409);
    const before = (await request(t.app).get(`/api/petitions/${petition.id}/progress`).set(owner.auth)).body;

    await request(t.app).patch(`/api/petitions/${petition.id}`).set(owner.auth).send({ status: 'failed' });
    const organizer = await makeMember(t.ctx, petition.id, 'organizer');
    expect((await request(t.app).post(url).set(organizer.auth)).status).toBe(403);
    const purged = await request(t.app).post(url).set(owner.auth);
    expect(purged.body).toEqual({ erased: 2 });

    const after = (await request(t.app).get(`/api/petitions/${petition.id}/progress`).set(owner.auth)).body;
    expect(after.totals).toEqual(before.totals);
    expect(after.counties).toEqual(before.counties);
    const list = await request(t.app).get(`/api/petitions/${petition.id}/signatures`).set(owner.auth);
    expect(list.body.items).toHaveLength(2);
    expect(
      list.body.items.every(
        (s: { firstName: unknown; addressLine1: unknown }) => s.firstName === null && s.addressLine1 === null,
      ),
    ).toBe(true);
    const audit = await t.ctx
      .knex('audit_log')
      .where({ petition_id: petition.id, action: 'petition.purged' });
    expect(audit).toHaveLength(1);
    expect((await recount(t.ctx.knex)).drift).toEqual([]);
  });
});
