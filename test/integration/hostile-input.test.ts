import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { makeMember, makePetition, makeUser, postSigner, signer, type TestUser } from '../support/factories';
import { useTestApp, type TestApp } from '../support/app';

const app = useTestApp();
let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  t = app();
  admin = await makeUser(t.ctx, { isAdmin: true });
});

const NUL = 'A\u0000B';
const LONE_SURROGATE = 'name \ud800';

const expectFieldError = (res: request.Response, path: string) => {
  expect(res.status).toBe(400);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.body.errors).toEqual(expect.arrayContaining([{ path, message: expect.any(String) }]));
};

describe('text the database cannot store', () => {
  it('refuses a NUL in any signer field with 400 naming the field, and stores nothing', async () => {
    const { petition } = await makePetition(t.ctx);
    const volunteer = await makeMember(t.ctx, petition.id, 'volunteer');
    for (const field of ['firstName', 'lastName', 'addressLine1', 'addressLine2', 'city']) {
      const res = await postSigner(t.app, petition.id, volunteer, signer({ [field]: NUL }));
      expectFieldError(res, `signer.${field}`);
    }
    const surrogate = await postSigner(t.app, petition.id, volunteer, signer({ lastName: LONE_SURROGATE }));
    expectFieldError(surrogate, 'signer.lastName');
    expect(await t.ctx.knex('signatures').where({ petition_id: petition.id }).count({ n: '*' })).toEqual([
      { n: 0 },
    ]);
  });

  it('stores the good items of a batch when another holds a NUL', async () => {
    const { petition } = await makePetition(t.ctx);
    const volunteer = await makeMember(t.ctx, petition.id, 'volunteer');
    const res = await request(t.app)
      .post(`/api/petitions/${petition.id}/signatures/batch`)
      .set(volunteer.auth)
      .send({
        signatures: [
          { idempotencyKey: randomUUID(), ...signer({ firstName: NUL }) },
          { idempotencyKey: randomUUID(), ...signer() },
        ],
      });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([400, 201]);
    expect(res.body.results[0].errors).toEqual([
      { path: 'signatures.0.firstName', message: expect.any(String) },
    ]);
  });

  it('refuses NUL and unpaired surrogates in sign-in, token, user, petition and sample text', async () => {
    const { petition } = await makePetition(t.ctx);
    const organizer = await makeMember(t.ctx, petition.id, 'organizer');
    expectFieldError(
      await request(t.app)
        .post('/api/auth/login')
        .send({ email: `a${NUL}@example.org`, password: 'x' }),
      'email',
    );
    for (const name of [NUL, LONE_SURROGATE]) {
      expectFieldError(await request(t.app).post('/api/auth/tokens').set(admin.auth).send({ name }), 'name');
    }
    expectFieldError(
      await request(t.app)
        .post('/api/users')
        .set(admin.auth)
        .send({ email: 'nul-user@example.org', name: NUL, password: 'a long enough password' }),
      'name',
    );
    expectFieldError(
      await request(t.app).patch(`/api/petitions/${petition.id}`).set(organizer.auth).send({ title: NUL }),
      'title',
    );
    expectFieldError(
      await request(t.app)
        .post(`/api/petitions/${petition.id}/samples`)
        .set(organizer.auth)
        .send({ seed: NUL }),
      'seed',
    );
  });
});

describe('ids that are not ids', () => {
  it('answers 400 or 404, never 500, for NUL or invalid UTF-8 in any :id, signed in or not', async () => {
    const { petition } = await makePetition(t.ctx, { public: true });
    const organizer = await makeMember(t.ctx, petition.id, 'organizer');
    const paths = (id: string) => [
      `/api/petitions/${id}`,
      `/api/petitions/${id}/progress`,
      `/api/petitions/${id}/tallies.csv`,
      `/api/petitions/${id}/signatures`,
      `/api/petitions/${id}/members`,
      `/api/petitions/${id}/samples`,
      `/api/petitions/${petition.id}/samples/${id}`,
      `/api/petitions/${petition.id}/verification-runs/${id}`,
      `/api/voter-files/${id}`,
    ];
    for (const bad of ['%00', 'a%00b', '%C0%AE%C0%AE', '%FF', '------------------------------------']) {
      for (const path of paths(bad)) {
        for (const who of [{}, organizer.auth, admin.auth]) {
          const res = await request(t.app).get(path).set(who);
          expect({ path, status: res.status, refused: [400, 401, 403, 404].includes(res.status) }).toEqual({
            path,
            status: res.status,
            refused: true,
          });
          expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        }
      }
    }
    const member = await request(t.app)
      .put(`/api/petitions/${petition.id}/members/%00`)
      .set(organizer.auth)
      .send({ role: 'viewer' });
    expect(member.status).toBe(400);
    const patch = await request(t.app)
      .patch(`/api/petitions/${petition.id}/signatures/%C0%AE%C0%AE`)
      .set(organizer.auth)
      .send({ status: 'valid' });
    expect(patch.status).toBe(400);
  });

  it('refuses a sample id shaped like a UUID that is not one, and a cursor that holds one', async () => {
    const { petition } = await makePetition(t.ctx);
    const organizer = await makeMember(t.ctx, petition.id, 'organizer');
    for (const id of ['------------------------------------', 'gggggggg-gggg-gggg-gggg-gggggggggggg']) {
      for (const suffix of ['', '.csv']) {
        const res = await request(t.app)
          .get(`/api/petitions/${petition.id}/samples/${id}${suffix}`)
          .set(organizer.auth);
        expect([400, 404]).toContain(res.status);
      }
    }
    const cursor = Buffer.from(`2026-11-20T10:00:00.000000Z|${'-'.repeat(36)}`).toString('base64url');
    const page = await request(t.app)
      .get(`/api/petitions/${petition.id}/signatures`)
      .query({ cursor })
      .set(organizer.auth);
    expectFieldError(page, 'query.cursor');
  });
});

describe('rates the database cannot hold', () => {
  it('refuses an assumed validity rate finer than the four decimals it is kept to', async () => {
    const { petition } = await makePetition(t.ctx);
    const organizer = await makeMember(t.ctx, petition.id, 'organizer');
    for (const rate of [0.00001, 0.12345, 0]) {
      const res = await request(t.app)
        .patch(`/api/petitions/${petition.id}`)
        .set(organizer.auth)
        .send({ assumedValidityRate: rate });
      expectFieldError(res, 'assumedValidityRate');
    }
    const ok = await request(t.app)
      .patch(`/api/petitions/${petition.id}`)
      .set(organizer.auth)
      .send({ assumedValidityRate: 0.0001 });
    expect(ok.status).toBe(200);
    expect(ok.body.assumedValidityRate).toBe(0.0001);
  });
});
