import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Petition } from '../../server/petitions/repo';
import { recordSigners } from '../../server/signatures/intake';
import { makeMember, makePetition, postSigner, signer, type TestUser } from '../support/factories';
import { useTestApp, usingPostgres, type TestApp } from '../support/app';
import { waitForLockWait } from '../support/locks';

/*
 * API.md, "Tokens, keys and finality (v1.1)": what was acknowledged stays acknowledged, a key belongs
 * to one account, a county in use stays, and a purged petition is final.
 */
const app = useTestApp();
let t: TestApp;
beforeAll(() => {
  t = app();
});

const batch = (petitionId: string, user: TestUser, signatures: object[]) =>
  request(t.app).post(`/api/petitions/${petitionId}/signatures/batch`).set(user.auth).send({ signatures });
const setStatus = (petitionId: string, user: TestUser, status: string) =>
  request(t.app).patch(`/api/petitions/${petitionId}`).set(user.auth).send({ status });
const rowsOf = (petitionId: string) =>
  t.ctx.knex('signatures').where({ petition_id: petitionId }).select('id', 'idempotency_key', 'status');

describe('replays after the petition stopped circulating', () => {
  it('answers 200 with the stored signer for a single replay, and 409 for a new signer', async () => {
    const { petition, admin } = await makePetition(t.ctx);
    const volunteer = await makeMember(t.ctx, petition.id, 'volunteer');
    const key = randomUUID();
    const body = signer();
    const first = await postSigner(t.app, petition.id, volunteer, body, key);
    expect(first.status).toBe(201);
    expect((await setStatus(petition.id, admin, 'submitted')).status).toBe(200);

    const replay = await postSigner(t.app, petition.id, volunteer, body, key);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect((await postSigner(t.app, petition.id, volunteer, signer())).status).toBe(409);
    expect(await rowsOf(petition.id)).toHaveLength(1);
  });

  it('answers each replayed batch item 200 and each new one 409; a batch of only new ones is a 409', async () => {
    const { petition, admin } = await makePetition(t.ctx);
    const volunteer = await makeMember(t.ctx, petition.id, 'volunteer');
    const stored = [0, 1].map(() => ({ idempotencyKey: randomUUID(), ...signer() }));
    const first = await batch(petition.id, volunteer, stored);
    expect(first.body.results.map((r: { status: number }) => r.status)).toEqual([201, 201]);
    await setStatus(petition.id, admin, 'failed');

    const fresh = { idempotencyKey: randomUUID(), ...signer() };
    const again = await batch(petition.id, volunteer, [stored[0], fresh, stored[1]] as object[]);
    expect(again.status).toBe(200);
    expect(again.body.results.map((r: { status: number }) => r.status)).toEqual([200, 409, 200]);
    expect(again.body.results[0].signature).toEqual(first.body.results[0].signature);
    expect(again.body.results[1].errors).toEqual([{ path: 'signatures.1', message: expect.any(String) }]);
    expect((await batch(petition.id, volunteer, [fresh])).status).toBe(409);
    expect(await rowsOf(petition.id)).toHaveLength(2);
  });
});

describe('idempotency keys belong to the account that first used them', () => {
  it('answers another account 422 for the same key, whatever the body, and tells it nothing', async () => {
    const { petition } = await makePetition(t.ctx);
    const first = await makeMember(t.ctx, petition.id, 'volunteer');
    const second = await makeMember(t.ctx, petition.id, 'volunteer');
    const key = randomUUID();
    const body = signer({ firstName: 'Private', lastName: 'Person' });
    expect((await postSigner(t.app, petition.id, first, body, key)).status).toBe(201);

    for (const attempt of [body, signer()]) {
      const res = await postSigner(t.app, petition.id, second, attempt, key);
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.text).not.toMatch(/Private|Person|"id"|circulator/);
    }
    const inBatch = await batch(petition.id, second, [{ idempotencyKey: key, ...body }]);
    expect(inBatch.body.results[0]).toEqual({
      idempotencyKey: key,
      status: 422,
      errors: [{ path: 'signatures.0.idempotencyKey', message: expect.any(String) }],
    });
    expect((await postSigner(t.app, petition.id, first, body, key)).status).toBe(200);
    expect(await rowsOf(petition.id)).toHaveLength(1);
  });
});

describe('overlapping batches', () => {
  it('when two batches carry the same people in opposite order at once, then both are stored and each person once as the original', async () => {
    const { petition } = await makePetition(t.ctx);
    const [a, b] = await Promise.all([1, 2].map(() => makeMember(t.ctx, petition.id, 'volunteer')));
    const items = (people: ReturnType<typeof signer>[]) =>
      people.map((input, n) => ({ key: randomUUID(), input, at: `signatures.${n}`, keyAt: `k.${n}` }));
    const rounds = 6;
    for (let round = 0; round < rounds; round++) {
      // Called side by side below the HTTP layer, so that both inserts are in the database at once.
      const people = Array.from({ length: 1000 }, (_, n) => signer({ addressLine1: `${n} Main Street` }));
      const found = await t.ctx.petitions.find(petition.id);
      const results = await Promise.all([
        recordSigners(t.ctx.knex, found as Petition, (a as TestUser).id, items(people)),
        recordSigners(t.ctx.knex, found as Petition, (b as TestUser).id, items([...people].reverse())),
      ]);
      expect(results.flat().every((r) => r.status === 201)).toBe(true);
    }
    const rows = await rowsOf(petition.id);
    expect(rows).toHaveLength(2000 * rounds);
    expect(rows.filter((r) => r.status === 'pending')).toHaveLength(1000 * rounds);
    expect(rows.filter((r) => r.status === 'duplicate')).toHaveLength(1000 * rounds);
  });
});

describe('removing a county', () => {
  it('refuses to remove a county that has signers, naming it', async () => {
    const { petition, admin } = await makePetition(t.ctx, {
      counties: [{ fips: '06001' }, { fips: '06003' }],
    });
    await postSigner(t.app, petition.id, admin, signer({ countyFips: '06003' }));
    const res = await request(t.app)
      .patch(`/api/petitions/${petition.id}`)
      .set(admin.auth)
      .send({ counties: [{ fips: '06001' }] });
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([{ path: 'counties', message: expect.stringContaining('06003') }]);
    expect(await rowsOf(petition.id)).toHaveLength(1);
  });

  (usingPostgres ? it : it.skip)(
    'when a signer is stored in a county while it is being removed, then the signer stays and the removal is refused',
    async () => {
      const { petition, admin } = await makePetition(t.ctx, {
        counties: [{ fips: '06001' }, { fips: '06003' }],
      });
      const volunteer = await makeMember(t.ctx, petition.id, 'volunteer');
      // A signer's insert is under way (not yet committed) when the organizer removes its county.
      const trx = await t.ctx.knex.transaction();
      const key = randomUUID();
      await trx.raw(
        `insert into signatures (petition_id, idempotency_key, request_hash, circulator_id, county_fips, signed_at, match_key)
         values (?, ?, 'held', ?, '06003', now(), ?)`,
        [petition.id, key, volunteer.id, randomUUID()],
      );
      const removal = request(t.app)
        .patch(`/api/petitions/${petition.id}`)
        .set(admin.auth)
        .send({ counties: [{ fips: '06001' }] })
        .then((r) => r);
      try {
        await waitForLockWait(t.ctx.knex, 'delete from "petition_counties"');
        await trx.commit();
      } finally {
        if (!trx.isCompleted()) await trx.rollback();
      }
      const res = await removal;
      expect(res.status).toBe(409);
      expect(await rowsOf(petition.id)).toEqual([expect.objectContaining({ idempotency_key: key })]);
      const counties = await t.ctx
        .knex('petition_counties')
        .where({ petition_id: petition.id })
        .pluck('fips');
      expect(counties.sort()).toEqual(['06001', '06003']);
    },
  );

  it('answers a signer sent to a county removed a moment ago with 400, whatever the cache holds', async () => {
    const { petition } = await makePetition(t.ctx, {
      counties: [{ fips: '06001' }, { fips: '06003' }],
    });
    const volunteer = await makeMember(t.ctx, petition.id, 'volunteer');
    await t.ctx.petitions.find(petition.id);
    // Removed behind the cache's back, as another process would.
    await t.ctx.knex('petition_counties').where({ petition_id: petition.id, fips: '06003' }).delete();
    const single = await postSigner(t.app, petition.id, volunteer, signer({ countyFips: '06003' }));
    expect(single.status).toBe(400);
    expect(single.body.errors).toEqual([{ path: 'signer.countyFips', message: expect.any(String) }]);
    const mixed = await batch(petition.id, volunteer, [
      { idempotencyKey: randomUUID(), ...signer({ countyFips: '06003' }) },
      { idempotencyKey: randomUUID(), ...signer({ countyFips: '06001' }) },
    ]);
    expect(mixed.body.results.map((r: { status: number }) => r.status)).toEqual([400, 201]);
  });
});

describe('after a purge', () => {
  it('the petition is final: no status change, no intake, no signer changes', async () => {
    const { petition, admin } = await makePetition(t.ctx);
    const volunteer = await makeMember(t.ctx, petition.id, 'volunteer');
    const key = randomUUID();
    const body = signer();
    const stored = await postSigner(t.app, petition.id, volunteer, body, key);
    const sections = `/api/petitions/${petition.id}/sections`;
    const [sheet] = (await request(t.app).post(sections).set(admin.auth).send({ countyFips: '06001' })).body
      .items;
    const scan = Buffer.from('%PDF-1.4 a sheet with names on it');
    await request(t.app)
      .put(`${sections}/${sheet.number}/scan`)
      .set(admin.auth)
      .set('Content-Type', 'application/pdf')
      .send(scan);
    await setStatus(petition.id, admin, 'qualified');
    expect((await request(t.app).post(`/api/petitions/${petition.id}/purge`).set(admin.auth)).body).toEqual({
      erased: 1,
    });
    // The sheets' scans show names and addresses: they are erased too, and no new sheet is issued.
    expect(await t.ctx.knex('section_scans').where({ petition_id: petition.id })).toEqual([]);
    expect((await request(t.app).post(sections).set(admin.auth).send({ countyFips: '06001' })).status).toBe(
      409,
    );
    expect(
      (await request(t.app).patch(`${sections}/${sheet.number}`).set(admin.auth).send({ status: 'returned' }))
        .status,
    ).toBe(409);

    const reopened = await setStatus(petition.id, admin, 'circulating');
    expect(reopened.status).toBe(409);
    const read = await request(t.app).get(`/api/petitions/${petition.id}`).set(admin.auth);
    expect(read.body).toMatchObject({ status: 'qualified', purgedAt: expect.any(String) });
    expect((await postSigner(t.app, petition.id, volunteer, signer())).status).toBe(409);
    expect((await postSigner(t.app, petition.id, volunteer, body, key)).status).toBe(409);
    expect(
      (await batch(petition.id, volunteer, [{ idempotencyKey: randomUUID(), ...signer() }])).status,
    ).toBe(409);
    const change = await request(t.app)
      .patch(`/api/petitions/${petition.id}/signatures/${stored.body.id}`)
      .set(admin.auth)
      .send({ status: 'valid' });
    expect(change.status).toBe(409);
    expect(
      (await request(t.app).post(`/api/petitions/${petition.id}/verification-runs`).set(admin.auth)).status,
    ).toBe(409);
    // Even a writer that goes around the API is refused by the database.
    await expect(
      t.ctx.knex.raw(
        `insert into signatures (petition_id, idempotency_key, request_hash, circulator_id, county_fips, signed_at)
         values (?, ?, 'x', ?, '06001', now())`,
        [petition.id, randomUUID(), volunteer.id],
      ),
    ).rejects.toThrow(/takes no signers/);
    expect(await rowsOf(petition.id)).toHaveLength(1);
  });
});
