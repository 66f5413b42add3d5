import request from 'supertest';
import { makeMember, makePetition, makeUser, unique } from '../support/factories';
import { useTestApp, type TestApp } from '../support/app';

const app = useTestApp();
let t: TestApp;
beforeAll(() => {
  t = app();
});

const newPetition = (over: Record<string, unknown> = {}) => ({
  title: 'Clean Water Initiative',
  state: 'CA',
  measureType: 'initiative_statute',
  signaturesRequired: 546651,
  circulationStart: '2026-10-01',
  deadline: '2027-04-01',
  ...over,
});

describe('creating petitions', () => {
  it('when an admin creates a petition, then it gets every county of its state by default', async () => {
    const admin = await makeUser(t.ctx, { isAdmin: true });
    const res = await request(t.app).post('/api/petitions').set(admin.auth).send(newPetition());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      title: 'Clean Water Initiative',
      state: 'CA',
      status: 'draft',
      public: false,
      assumedValidityRate: 0.75,
      circulationStart: '2026-10-01',
    });
    expect(res.body.counties).toHaveLength(58);
    expect(res.body.counties[18]).toEqual({ fips: '06037', name: 'Los Angeles', target: null });
    const bySlug = await request(t.app).get(`/api/petitions/${res.body.slug}`).set(admin.auth);
    expect(bySlug.body.id).toBe(res.body.id);
  });

  it('when counties are given, then only those, with their targets', async () => {
    const admin = await makeUser(t.ctx, { isAdmin: true });
    const counties = [{ fips: '06001', target: 500 }, { fips: '06075' }];
    const res = await request(t.app).post('/api/petitions').set(admin.auth).send(newPetition({ counties }));
    expect(res.body.counties).toEqual([
      { fips: '06001', name: 'Alameda', target: 500 },
      { fips: '06075', name: 'San Francisco', target: null },
    ]);
  });

  it('when fields are bad, then each is named, and a county of another state is refused', async () => {
    const admin = await makeUser(t.ctx, { isAdmin: true });
    const bad = await request(t.app)
      .post('/api/petitions')
      .set(admin.auth)
      .send(newPetition({ signaturesRequired: -1, measureType: 'law', deadline: '2026-13-01', extra: 1 }));
    expect(bad.status).toBe(400);
    const paths = bad.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['signaturesRequired', 'measureType', 'deadline']));
    const ohio = await request(t.app)
      .post('/api/petitions')
      .set(admin.auth)
      .send(newPetition({ counties: [{ fips: '39049' }] }));
    expect(ohio.status).toBe(400);
    expect(ohio.body.errors[0].path).toBe('counties.0.fips');
  });

  it('when the slug is taken, then 409', async () => {
    const admin = await makeUser(t.ctx, { isAdmin: true });
    const slug = unique('taken');
    expect(
      (await request(t.app).post('/api/petitions').set(admin.auth).send(newPetition({ slug }))).status,
    ).toBe(201);
    expect(
      (await request(t.app).post('/api/petitions').set(admin.auth).send(newPetition({ slug }))).status,
    ).toBe(409);
  });

  it('when a non-admin creates a petition, then it is refused', async () => {
    const user = await makeUser(t.ctx);
    expect((await request(t.app).post('/api/petitions').set(user.auth).send(newPetition())).status).toBe(403);
    expect((await request(t.app).post('/api/petitions').send(newPetition())).status).toBe(401);
  });
});

describe('who sees which petition', () => {
  it('lists public petitions to anyone and private ones only to their members', async () => {
    const { petition: open } = await makePetition(t.ctx, { public: true });
    const { petition: closed } = await makePetition(t.ctx, { public: false });
    const member = await makeMember(t.ctx, closed.id, 'viewer');
    const stranger = await makeUser(t.ctx);

    const anonymous = (await request(t.app).get('/api/petitions')).body.items.map(
      (p: { id: string }) => p.id,
    );
    expect(anonymous).toContain(open.id);
    expect(anonymous).not.toContain(closed.id);
    const mine = (await request(t.app).get('/api/petitions').set(member.auth)).body.items.map(
      (p: { id: string }) => p.id,
    );
    expect(mine).toEqual(expect.arrayContaining([open.id, closed.id]));

    expect((await request(t.app).get(`/api/petitions/${closed.id}`)).status).toBe(404);
    expect((await request(t.app).get(`/api/petitions/${closed.id}`).set(stranger.auth)).status).toBe(404);
    expect((await request(t.app).get(`/api/petitions/${closed.id}`).set(member.auth)).status).toBe(200);
  });

  it("never lets one petition's members reach another petition", async () => {
    const { petition: a } = await makePetition(t.ctx);
    const { petition: b } = await makePetition(t.ctx);
    const organizerOfA = await makeMember(t.ctx, a.id, 'organizer');
    const calls = [
      request(t.app).get(`/api/petitions/${b.id}`),
      request(t.app).patch(`/api/petitions/${b.id}`).send({ title: 'Taken over' }),
      request(t.app).get(`/api/petitions/${b.id}/progress`),
      request(t.app).get(`/api/petitions/${b.id}/tallies.csv`),
      request(t.app).get(`/api/petitions/${b.id}/signatures`),
      request(t.app).get(`/api/petitions/${b.id}/members`),
      request(t.app).put(`/api/petitions/${b.id}/members/${organizerOfA.id}`).send({ role: 'organizer' }),
    ];
    for (const call of calls) expect((await call.set(organizerOfA.auth)).status).toBe(404);
  });
});

describe('changing petitions and members', () => {
  it('lets organizers change their petition and its members, and refuses volunteers and viewers', async () => {
    const { petition } = await makePetition(t.ctx);
    const organizer = await makeMember(t.ctx, petition.id, 'organizer');
    const volunteer = await makeMember(t.ctx, petition.id, 'volunteer');
    const viewer = await makeMember(t.ctx, petition.id, 'viewer');

    const patched = await request(t.app)
      .patch(`/api/petitions/${petition.id}`)
      .set(organizer.auth)
      .send({
        title: 'Renamed',
        public: true,
        counties: [...petition.counties.map((c) => ({ fips: c.fips })), { fips: '06001', target: 9 }].slice(
          1,
        ),
      });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: 'Renamed', public: true });
    expect(patched.body.counties.find((c: { fips: string }) => c.fips === '06001').target).toBe(9);

    for (const user of [volunteer, viewer]) {
      expect(
        (await request(t.app).patch(`/api/petitions/${petition.id}`).set(user.auth).send({ title: 'X' }))
          .status,
      ).toBe(403);
    }

    const newcomer = await makeUser(t.ctx);
    const put = await request(t.app)
      .put(`/api/petitions/${petition.id}/members/${newcomer.id}`)
      .set(organizer.auth)
      .send({ role: 'volunteer' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ petitionId: petition.id, userId: newcomer.id, role: 'volunteer' });
    const me = await request(t.app).get('/api/auth/me').set(newcomer.auth);
    expect(me.body.user.memberships).toEqual([{ petitionId: petition.id, role: 'volunteer' }]);
    const refused = await request(t.app)
      .put(`/api/petitions/${petition.id}/members/${newcomer.id}`)
      .set(volunteer.auth)
      .send({ role: 'organizer' });
    expect(refused.status).toBe(403);
    const badRole = await request(t.app)
      .put(`/api/petitions/${petition.id}/members/${newcomer.id}`)
      .set(organizer.auth)
      .send({ role: 'owner' });
    expect(badRole.status).toBe(400);
    expect(badRole.body.errors[0].path).toBe('role');
  });

  it('lets an organizer add a member by email address, and names the field when it is bad', async () => {
    const { petition } = await makePetition(t.ctx);
    const organizer = await makeMember(t.ctx, petition.id, 'organizer');
    const newcomer = await makeUser(t.ctx);
    const url = `/api/petitions/${petition.id}/members`;

    const added = await request(t.app)
      .post(url)
      .set(organizer.auth)
      .send({ email: newcomer.email.toUpperCase(), role: 'viewer' });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ userId: newcomer.id, role: 'viewer', email: newcomer.email });
    const listed = await request(t.app).get(url).set(organizer.auth);
    expect(listed.body.items.map((m: { userId: string }) => m.userId)).toContain(newcomer.id);

    const unknown = await request(t.app)
      .post(url)
      .set(organizer.auth)
      .send({ email: `${unique('nobody')}@example.org`, role: 'viewer' });
    expect(unknown.status).toBe(404);
    const bad = await request(t.app)
      .post(url)
      .set(organizer.auth)
      .send({ email: 'not-an-email', role: 'viewer' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('email');
  });

  it('refuses unknown fields on a county, as on every body', async () => {
    const { petition, admin } = await makePetition(t.ctx);
    const res = await request(t.app)
      .patch(`/api/petitions/${petition.id}`)
      .set(admin.auth)
      .send({ counties: [{ fips: '06001', name: 'Alameda' }] });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'counties.0', message: expect.stringMatching(/name/) }]);
  });

  it('refuses a deadline before the start of circulation', async () => {
    const { petition, admin } = await makePetition(t.ctx);
    const res = await request(t.app)
      .patch(`/api/petitions/${petition.id}`)
      .set(admin.auth)
      .send({ deadline: '2020-01-01' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('deadline');
  });
});
