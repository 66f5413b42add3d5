import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { rollupTallies } from '../../server/tallies/rollup';
import { recount } from '../../server/tallies/recount';
import { rawBody } from '../support/downloads';
import { makeMember, makePetition, postSigner, signer, type TestUser } from '../support/factories';
import { useTestApp, type TestApp } from '../support/app';

const app = useTestApp();
let t: TestApp;
beforeAll(() => {
  t = app();
});

async function setup() {
  const { petition, admin } = await makePetition(t.ctx, { counties: [{ fips: '06001' }, { fips: '06075' }] });
  const organizer = await makeMember(t.ctx, petition.id, 'organizer');
  const volunteer = await makeMember(t.ctx, petition.id, 'volunteer');
  return { petition, admin, organizer, volunteer };
}

const url = (petitionId: string, rest = '') => `/api/petitions/${petitionId}/sections${rest}`;
const issue = (petitionId: string, user: TestUser, body: object) =>
  request(t.app).post(url(petitionId)).set(user.auth).send(body);
const patch = (petitionId: string, user: TestUser, number: number, body: object) =>
  request(t.app)
    .patch(url(petitionId, `/${number}`))
    .set(user.auth)
    .send(body);
const count = (petitionId: string, user: TestUser, number: number, lines = 20) =>
  patch(petitionId, user, number, {
    status: 'counted',
    linesCounted: lines,
    declarationSignedAt: '2026-11-20',
  });

describe('issuing sections', () => {
  it('numbers sections from 1 in order of issue; two issues of 50 at once get 100 distinct numbers', async () => {
    const { petition, organizer, volunteer } = await setup();
    const [a, b] = await Promise.all([
      issue(petition.id, organizer, { countyFips: '06001', count: 50, circulatorId: volunteer.id }),
      issue(petition.id, organizer, { countyFips: '06075', count: 50 }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const numbers = [...a.body.items, ...b.body.items].map((s: { number: number }) => s.number);
    expect(new Set(numbers).size).toBe(100);
    expect([...numbers].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(a.body.items[0]).toEqual({
      number: expect.any(Number),
      countyFips: '06001',
      status: 'issued',
      circulatorId: volunteer.id,
      linesCounted: null,
      linesEntered: 0,
      declarationSignedAt: null,
      issuedAt: expect.any(String),
      returnedAt: null,
      filedAt: null,
      filingId: null,
      reason: null,
      hasScan: false,
    });
  });

  it('keeps a county with sections on the petition', async () => {
    const { petition, organizer } = await setup();
    await issue(petition.id, organizer, { countyFips: '06075' });
    const res = await request(t.app)
      .patch(`/api/petitions/${petition.id}`)
      .set(organizer.auth)
      .send({ counties: [{ fips: '06001' }] });
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([{ path: 'counties', message: 'must keep 06075' }]);
  });

  it('refuses a county outside the petition, a circulator who is not a member, too many, and volunteers', async () => {
    const { petition, organizer, volunteer } = await setup();
    const stranger = await makeMember(t.ctx, (await makePetition(t.ctx)).petition.id, 'volunteer');
    const outside = await issue(petition.id, organizer, { countyFips: '06003' });
    expect(outside.status).toBe(400);
    expect(outside.body.errors[0].path).toBe('countyFips');
    const notMember = await issue(petition.id, organizer, { countyFips: '06001', circulatorId: stranger.id });
    expect(notMember.body.errors).toEqual([{ path: 'circulatorId', message: expect.any(String) }]);
    expect((await issue(petition.id, organizer, { countyFips: '06001', count: 501 })).status).toBe(400);
    expect((await issue(petition.id, volunteer, { countyFips: '06001' })).status).toBe(403);
  });
});

describe('the life of a section', () => {
  it('goes issued → returned → counted → filed, and answers 409 to every move the contract forbids', async () => {
    const { petition, organizer, volunteer } = await setup();
    const [s] = (await issue(petition.id, organizer, { countyFips: '06001', circulatorId: volunteer.id }))
      .body.items;
    const n = s.number as number;
    const early = await count(petition.id, organizer, n);
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/is issued/);
    expect((await patch(petition.id, volunteer, n, { status: 'returned' })).body).toMatchObject({
      status: 'returned',
      returnedAt: expect.any(String),
    });
    expect((await patch(petition.id, organizer, n, { status: 'returned' })).status).toBe(409);
    const noLines = await patch(petition.id, organizer, n, { status: 'counted' });
    expect(noLines.status).toBe(400);
    expect((await count(petition.id, organizer, n, 18)).body).toMatchObject({
      status: 'counted',
      linesCounted: 18,
    });
    expect((await patch(petition.id, organizer, n, { status: 'lost', reason: 'x' })).status).toBe(409);
    expect((await patch(petition.id, organizer, n, { status: 'filed' })).status).toBe(400);
    expect((await patch(petition.id, organizer, n, { linesCounted: 19 })).body.linesCounted).toBe(19);

    const audit = await t.ctx
      .knex('audit_log')
      .where({ petition_id: petition.id, action: 'section.changed' })
      .orderBy('id');
    expect(audit.map((a) => [a.detail.from, a.detail.to])).toEqual([
      ['issued', 'returned'],
      ['returned', 'counted'],
      ['counted', 'counted'],
    ]);
    expect(audit[0].actor_id).toBe(volunteer.id);
  });

  it('marks a section lost or void only with a reason, and a lost one returned when it turns up', async () => {
    const { petition, organizer } = await setup();
    const items = (await issue(petition.id, organizer, { countyFips: '06001', count: 2 })).body.items;
    const [a, b] = items.map((s: { number: number }) => s.number) as [number, number];
    expect((await patch(petition.id, organizer, a, { status: 'lost' })).body.errors[0].path).toBe('reason');
    expect(
      (await patch(petition.id, organizer, a, { status: 'lost', reason: 'left at the store' })).status,
    ).toBe(200);
    expect((await patch(petition.id, organizer, a, { status: 'returned' })).body.status).toBe('returned');
    expect((await patch(petition.id, organizer, b, { status: 'void', reason: 'torn' })).body).toMatchObject({
      status: 'void',
      reason: 'torn',
    });
    expect((await patch(petition.id, organizer, b, { status: 'returned' })).status).toBe(409);
  });

  it('lets a circulator see and return only their own sections; another’s is unknown to them', async () => {
    const { petition, organizer, volunteer } = await setup();
    const other = await makeMember(t.ctx, petition.id, 'volunteer');
    await issue(petition.id, organizer, { countyFips: '06001', count: 2, circulatorId: volunteer.id });
    const theirs = (await issue(petition.id, organizer, { countyFips: '06001', circulatorId: other.id })).body
      .items[0];
    const mine = await request(t.app).get(url(petition.id)).set(volunteer.auth);
    expect(mine.body.items.map((s: { circulatorId: string }) => s.circulatorId)).toEqual([
      volunteer.id,
      volunteer.id,
    ]);
    expect(
      (
        await request(t.app)
          .get(url(petition.id, `/${theirs.number}`))
          .set(volunteer.auth)
      ).status,
    ).toBe(404);
    expect((await patch(petition.id, volunteer, theirs.number, { status: 'returned' })).status).toBe(404);
    expect(
      (
        await request(t.app)
          .get(url(petition.id, `/${theirs.number}/scan`))
          .set(volunteer.auth)
      ).status,
    ).toBe(404);
    const own = mine.body.items[0].number as number;
    expect((await patch(petition.id, volunteer, own, { status: 'lost', reason: 'x' })).status).toBe(403);
    const all = await request(t.app).get(url(petition.id)).query({ limit: 2 }).set(organizer.auth);
    expect(all.body.items).toHaveLength(2);
    const rest = await request(t.app)
      .get(url(petition.id))
      .query({ limit: 2, cursor: all.body.nextCursor })
      .set(organizer.auth);
    expect(rest.body).toEqual({
      items: [expect.objectContaining({ number: theirs.number })],
      nextCursor: null,
    });
  });
});

describe('signers on sections', () => {
  it('takes a section and line with each signer, one signer a line, of the section’s county, never on a void one', async () => {
    const { petition, organizer, volunteer } = await setup();
    const [s, other] = (await issue(petition.id, organizer, { countyFips: '06001', count: 2 })).body.items;
    const on = (line: number, extra: object = {}) => signer({ sectionNumber: s.number, line, ...extra });
    const first = await postSigner(t.app, petition.id, volunteer, on(1));
    expect(first.status).toBe(201);

    // Two volunteers type line 2 at the same moment: one is stored, the other is told the line is taken.
    const racers = await Promise.all([0, 1].map(() => postSigner(t.app, petition.id, volunteer, on(2))));
    expect(racers.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(racers.find((r) => r.status === 409)?.body.errors).toEqual([
      { path: 'signer.line', message: expect.stringMatching(/line 2/) },
    ]);
    const key = randomUUID();
    const body = on(3);
    expect((await postSigner(t.app, petition.id, volunteer, body, key)).status).toBe(201);
    expect((await postSigner(t.app, petition.id, volunteer, body, key)).status).toBe(200);
    expect((await postSigner(t.app, petition.id, volunteer, { ...body, line: 4 }, key)).status).toBe(422);

    const wrongCounty = await postSigner(t.app, petition.id, volunteer, on(5, { countyFips: '06075' }));
    expect(wrongCounty.body.errors).toEqual([
      { path: 'signer.countyFips', message: expect.stringMatching(/06001/) },
    ]);
    const missing = await postSigner(t.app, petition.id, volunteer, signer({ sectionNumber: 999, line: 1 }));
    expect(missing.body.errors).toEqual([{ path: 'signer.sectionNumber', message: expect.any(String) }]);
    expect(
      (await postSigner(t.app, petition.id, volunteer, signer({ sectionNumber: s.number }))).body.errors,
    ).toEqual([{ path: 'signer.line', message: expect.any(String) }]);
    await patch(petition.id, organizer, other.number, { status: 'void', reason: 'spoiled' });
    const onVoid = await postSigner(
      t.app,
      petition.id,
      volunteer,
      signer({ sectionNumber: other.number, line: 1 }),
    );
    expect(onVoid.status).toBe(409);

    const batch = await request(t.app)
      .post(`/api/petitions/${petition.id}/signatures/batch`)
      .set(volunteer.auth)
      .send({
        signatures: [
          { idempotencyKey: randomUUID(), ...on(1) },
          { idempotencyKey: randomUUID(), ...on(6) },
          { idempotencyKey: randomUUID(), ...signer({ sectionNumber: other.number, line: 2 }) },
        ],
      });
    expect(batch.body.results.map((r: { status: number }) => r.status)).toEqual([409, 201, 409]);
    // Every item refused for its own line or section: still one result each, not a 409 for the batch.
    const allTaken = await request(t.app)
      .post(`/api/petitions/${petition.id}/signatures/batch`)
      .set(volunteer.auth)
      .send({ signatures: [{ idempotencyKey: randomUUID(), ...on(1) }] });
    expect(allTaken.status).toBe(200);
    expect(allTaken.body.results[0]).toMatchObject({ status: 409, errors: [{ path: 'signatures.0.line' }] });
    expect(batch.body.results[0].errors[0].path).toBe('signatures.0.line');
    const read = await request(t.app)
      .get(url(petition.id, `/${s.number}`))
      .set(organizer.auth);
    expect(read.body.linesEntered).toBe(4);
  });
});

describe('filing', () => {
  it('files counted sections of one county at once, or none, and gives the manifest', async () => {
    const { petition, organizer, volunteer } = await setup();
    const items = (
      await issue(petition.id, organizer, { countyFips: '06001', count: 3, circulatorId: volunteer.id })
    ).body.items;
    const [a, b, c] = items.map((s: { number: number }) => s.number) as [number, number, number];
    const elsewhere = (await issue(petition.id, organizer, { countyFips: '06075' })).body.items[0]
      .number as number;
    for (const n of [a, b, c]) await patch(petition.id, organizer, n, { status: 'returned' });
    await count(petition.id, organizer, a, 10);
    await count(petition.id, organizer, b, 12);
    await postSigner(t.app, petition.id, volunteer, signer({ sectionNumber: a, line: 1 }));

    const file = (sections: number[]) =>
      request(t.app)
        .post(`/api/petitions/${petition.id}/filings`)
        .set(organizer.auth)
        .send({ countyFips: '06001', sections });
    const refused = await file([a, b, c, elsewhere]);
    expect(refused.status).toBe(409);
    expect(refused.body.errors).toEqual([
      { path: 'sections.2', message: expect.stringMatching(/returned/) },
      { path: 'sections.3', message: expect.stringMatching(/06075/) },
    ]);
    const untouched = await request(t.app)
      .get(url(petition.id, `/${a}`))
      .set(organizer.auth);
    expect(untouched.body.status).toBe('counted');
    expect(await t.ctx.knex('section_filings').where({ petition_id: petition.id })).toEqual([]);

    const filed = await file([a, b]);
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ countyFips: '06001', sections: 2, lines: 22 });
    expect(
      (
        await request(t.app)
          .get(url(petition.id, `/${a}`))
          .set(organizer.auth)
      ).body,
    ).toMatchObject({
      status: 'filed',
      filingId: filed.body.id,
    });
    expect((await file([a])).status).toBe(409);
    const list = await request(t.app).get(`/api/petitions/${petition.id}/filings`).set(organizer.auth);
    expect(list.body.items).toEqual([filed.body]);

    const csv = await request(t.app)
      .get(`/api/petitions/${petition.id}/filings/${filed.body.id}.csv`)
      .set(organizer.auth);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.text.split('\r\n')).toEqual([
      'section,county_fips,county,circulator,lines_counted,lines_entered,declaration_signed_at',
      `${a},06001,Alameda,Test User,10,1,2026-11-20`,
      `${b},06001,Alameda,Test User,12,0,2026-11-20`,
      'TOTAL,06001,Alameda,,22,1,',
      '',
    ]);
    expect(
      (await request(t.app).get(`/api/petitions/${petition.id}/filings`).set(volunteer.auth)).status,
    ).toBe(403);
  });
});

describe('scans', () => {
  const PNG = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.alloc(64, 7),
  ]);

  it('keeps a scan of the sheet for the organizers and its circulator, audits every read, refuses other files', async () => {
    const { petition, organizer, volunteer } = await setup();
    const n = (await issue(petition.id, organizer, { countyFips: '06001', circulatorId: volunteer.id })).body
      .items[0].number;
    const put = (user: TestUser, type: string, body: Buffer) =>
      request(t.app)
        .put(url(petition.id, `/${n}/scan`))
        .set(user.auth)
        .set('Content-Type', type)
        .send(body);
    expect((await put(volunteer, 'image/png', PNG)).status).toBe(204);
    const read = await request(t.app)
      .get(url(petition.id, `/${n}/scan`))
      .set(organizer.auth)
      .buffer(true)
      .parse(rawBody);
    expect(read.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(read.body as Buffer, PNG)).toBe(0);
    expect(
      (
        await request(t.app)
          .get(url(petition.id, `/${n}`))
          .set(organizer.auth)
      ).body.hasScan,
    ).toBe(true);
    expect(
      await t.ctx.knex('audit_log').where({ petition_id: petition.id, action: 'section.scan_read' }),
    ).toHaveLength(1);

    const wrongType = await put(organizer, 'text/plain', Buffer.from('hello'));
    expect(wrongType.status).toBe(415);
    expect(wrongType.headers['content-type']).toMatch(/problem\+json/);
    expect((await put(organizer, 'image/jpeg', PNG)).status).toBe(415);
    const tooBig = await put(
      organizer,
      'application/pdf',
      Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(10 * 1024 * 1024)]),
    );
    expect(tooBig.status).toBe(413);
    const kept = await t.ctx
      .knex('section_scans')
      .where({ petition_id: petition.id, number: n })
      .first('content_type', 'sha256');
    expect(kept.content_type).toBe('image/png');
  });
});

describe('sections in progress, circulators and the recount', () => {
  it('counts sections by status and lines per county, exactly, before and after the rollup', async () => {
    const { petition, organizer, volunteer } = await setup();
    const nums = (
      await issue(petition.id, organizer, { countyFips: '06001', count: 4, circulatorId: volunteer.id })
    ).body.items.map((s: { number: number }) => s.number) as number[];
    await issue(petition.id, organizer, { countyFips: '06075', count: 2 });
    for (const n of nums.slice(0, 3)) await patch(petition.id, organizer, n, { status: 'returned' });
    await count(petition.id, organizer, nums[0] as number, 15);
    await count(petition.id, organizer, nums[1] as number, 5);
    await request(t.app)
      .post(`/api/petitions/${petition.id}/filings`)
      .set(organizer.auth)
      .send({ countyFips: '06001', sections: [nums[0]] });
    const read = async () =>
      (await request(t.app).get(`/api/petitions/${petition.id}/progress`).set(organizer.auth)).body;
    const expected = {
      issued: 3,
      returned: 1,
      counted: 1,
      filed: 1,
      lost: 0,
      void: 0,
      outstanding: 3,
      linesCounted: 20,
      linesFiled: 15,
    };
    expect((await read()).sections).toEqual(expected);
    await rollupTallies(t.ctx.knex);
    t.ctx.bus.publish({ kind: 'tallies', id: petition.id });
    const after = await read();
    expect(after.sections).toEqual(expected);
    expect(after.counties.find((c: { fips: string }) => c.fips === '06001')).toMatchObject({
      sectionsOut: 1,
      linesCounted: 20,
      linesFiled: 15,
    });
    expect(after.counties.find((c: { fips: string }) => c.fips === '06075')).toMatchObject({
      sectionsOut: 2,
    });
    expect((await recount(t.ctx.knex)).drift).toEqual([]);

    const circulators = await request(t.app)
      .get(`/api/petitions/${petition.id}/circulators`)
      .set(organizer.auth);
    expect(circulators.body.items.find((c: { userId: string }) => c.userId === volunteer.id)).toMatchObject({
      raw: 0,
      sectionsOut: 1,
      oldestOutSince: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
      linesCounted: 20,
    });

    await t.ctx
      .knex('section_tallies')
      .where({ petition_id: petition.id, status: 'filed' })
      .increment('lines', 3);
    expect((await recount(t.ctx.knex)).drift).toContainEqual(
      expect.objectContaining({
        petitionId: petition.id,
        what: 'sections 06001 filed lines',
        expected: 15,
        kept: 18,
      }),
    );
    await recount(t.ctx.knex, { fix: true });
    expect((await recount(t.ctx.knex)).drift).toEqual([]);
  });
});
