import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { makeUser, unique } from '../support/factories';
import { openTestApp, removeDataDir, usingPostgres, type TestApp } from '../support/app';

let t: TestApp;
beforeAll(async () => {
  // Each test signs in from its own address, so the per-address throttle of one does not reach another.
  t = await openTestApp(undefined, { TRUST_PROXY: 'true' });
});

// A fresh documentation address each time (2001:db8::/32), unique across runs on the same database.
const client = () => {
  const ip = `2001:db8::${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}`;
  return {
    post: (path: string) => request(t.app).post(path).set('X-Forwarded-For', ip),
    agent: () => request.agent(t.app).set('X-Forwarded-For', ip),
  };
};
afterAll(async () => {
  await t.close();
  removeDataDir(t.dataDir);
});

const tokenIdOf = async (userId: string) =>
  ((await t.ctx.knex('api_tokens').where({ user_id: userId }).first('id')) as { id: string }).id;

const sidOf = (res: request.Response) =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('sid='));

describe('signing in', () => {
  it('when the password is right, then a session cookie is set and /me names the user', async () => {
    const user = await makeUser(t.ctx);
    const agent = client().agent();
    const res = await agent
      .post('/api/auth/login')
      .send({ email: user.email.toUpperCase(), password: user.password });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: user.id, email: user.email, isAdmin: false, memberships: [] });
    expect(res.body.user.passwordHash).toBeUndefined();
    const cookie = sidOf(res) ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);

    const me = await agent.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(user.id);
  });

  it('when a user signs in twice, then each sign-in gets a new session id', async () => {
    const user = await makeUser(t.ctx);
    const agent = client().agent();
    const first = sidOf(
      await agent.post('/api/auth/login').send({ email: user.email, password: user.password }),
    );
    const second = sidOf(
      await agent.post('/api/auth/login').send({ email: user.email, password: user.password }),
    );
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(first?.split(';')[0]).not.toBe(second?.split(';')[0]);
  });

  it('when the email is unknown or the password wrong, then the answer is the same 401', async () => {
    const user = await makeUser(t.ctx);
    const from = client();
    const wrong = await from.post('/api/auth/login').send({ email: user.email, password: 'nope nope nope' });
    const unknown = await from
      .post('/api/auth/login')
      .send({ email: `${unique('ghost')}@example.org`, password: 'nope nope nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('when an account keeps failing, then sign-in is refused with 429 and Retry-After, even with the right password', async () => {
    const user = await makeUser(t.ctx);
    const from = client();
    // All at once: at most 10 guesses may be checked, however many arrive together.
    const guesses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        from.post('/api/auth/login').send({ email: user.email, password: `wrong ${i}` }),
      ),
    );
    const statuses = guesses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    const blocked = await client()
      .post('/api/auth/login')
      .send({ email: user.email, password: user.password });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('when the right password follows a few wrong ones, then it signs in and the count starts again', async () => {
    const user = await makeUser(t.ctx);
    const from = client();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 9; i++) {
        expect(
          (await from.post('/api/auth/login').send({ email: user.email, password: 'wrong' })).status,
        ).toBe(401);
      }
      expect(
        (await from.post('/api/auth/login').send({ email: user.email, password: user.password })).status,
      ).toBe(200);
    }
  });

  it('when one address tries many accounts, then it is throttled too', async () => {
    const from = client();
    const statuses: number[] = [];
    for (let i = 0; i < 101; i++) {
      const email = `${unique('probe')}@example.org`;
      statuses.push((await from.post('/api/auth/login').send({ email, password: 'x' })).status);
    }
    expect(statuses.slice(0, 100).every((s) => s === 401)).toBe(true);
    expect(statuses[100]).toBe(429);
    expect((await client().post('/api/auth/login').send({ email: 'a@b.org', password: 'x' })).status).toBe(
      401,
    );
  });

  it('when signed out, then the session no longer works', async () => {
    const user = await makeUser(t.ctx);
    const agent = client().agent();
    await agent.post('/api/auth/login').send({ email: user.email, password: user.password });
    expect((await agent.post('/api/auth/logout')).status).toBe(204);
    expect((await agent.get('/api/auth/me')).status).toBe(401);
  });
});

describe('bearer tokens', () => {
  it('when a signed-in user creates a token, then scripts can act as that user with it', async () => {
    const user = await makeUser(t.ctx);
    const agent = client().agent();
    await agent.post('/api/auth/login').send({ email: user.email, password: user.password });
    const created = await agent.post('/api/auth/tokens').send({ name: 'export script' });
    expect(created.status).toBe(201);
    const me = await request(t.app).get('/api/auth/me').set('Authorization', `Bearer ${created.body.token}`);
    expect(me.body.user.id).toBe(user.id);
  });

  it('lists the caller’s tokens without their secrets, with expiry and last use', async () => {
    const user = await makeUser(t.ctx);
    const created = await request(t.app)
      .post('/api/auth/tokens')
      .set(user.auth)
      .send({ name: 'nightly export', expiresInDays: 7 });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'nightly export',
      token: expect.stringMatching(/^pet_/),
      expiresAt: expect.any(String),
    });
    const days = (Date.parse(created.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    await request(t.app).get('/api/auth/me').set('Authorization', `Bearer ${created.body.token}`);

    const list = await request(t.app).get('/api/auth/tokens').set(user.auth);
    expect(list.status).toBe(200);
    const mine = list.body.items.find((i: { id: string }) => i.id === created.body.id);
    expect(mine).toEqual({
      id: created.body.id,
      name: 'nightly export',
      createdAt: expect.any(String),
      expiresAt: created.body.expiresAt,
      lastUsedAt: expect.any(String),
    });
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);
    const other = await makeUser(t.ctx);
    const theirs = await request(t.app).get('/api/auth/tokens').set(other.auth);
    expect(theirs.body.items.map((i: { id: string }) => i.id)).not.toContain(created.body.id);

    for (const expiresInDays of [0, 366, 1.5]) {
      const bad = await request(t.app)
        .post('/api/auth/tokens')
        .set(user.auth)
        .send({ name: 'x', expiresInDays });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].path).toBe('expiresInDays');
    }
  });

  it('when a token is revoked, then it answers 401 at once; only its owner or an admin may revoke it', async () => {
    const user = await makeUser(t.ctx);
    const { body } = await request(t.app).post('/api/auth/tokens').set(user.auth).send({ name: 'laptop' });
    const bearer = { Authorization: `Bearer ${body.token}` };
    expect((await request(t.app).get('/api/auth/me').set(bearer)).status).toBe(200);

    const stranger = await makeUser(t.ctx);
    expect((await request(t.app).delete(`/api/auth/tokens/${body.id}`).set(stranger.auth)).status).toBe(404);
    expect((await request(t.app).get('/api/auth/me').set(bearer)).status).toBe(200);
    expect((await request(t.app).delete(`/api/auth/tokens/${body.id}`).set(user.auth)).status).toBe(204);
    const refused = await request(t.app).get('/api/auth/me').set(bearer);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer');
    expect((await request(t.app).delete(`/api/auth/tokens/${body.id}`).set(user.auth)).status).toBe(404);

    const admin = await makeUser(t.ctx, { isAdmin: true });
    const factoryToken = await tokenIdOf(user.id);
    expect((await request(t.app).delete(`/api/auth/tokens/${factoryToken}`).set(admin.auth)).status).toBe(
      204,
    );
    expect((await request(t.app).get('/api/auth/me').set(user.auth)).status).toBe(401);
    const audit = await t.ctx.knex('audit_log').where({ action: 'auth.token_revoked', subject_id: body.id });
    expect(audit).toHaveLength(1);
  });

  it('when a token expires, then it answers 401 within a second', async () => {
    const user = await makeUser(t.ctx);
    await t.ctx
      .knex('api_tokens')
      .where({ user_id: user.id })
      .update({ expires_at: t.ctx.knex.raw("now() + interval '1 second'") });
    expect((await request(t.app).get('/api/auth/me').set(user.auth)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await request(t.app).get('/api/auth/me').set(user.auth)).status).toBe(401);
  });

  (usingPostgres ? it : it.skip)(
    'when a token is revoked in one process, then another process refuses it within a second',
    async () => {
      const other = await openTestApp();
      try {
        const user = await makeUser(t.ctx);
        expect((await request(other.app).get('/api/auth/me').set(user.auth)).status).toBe(200);
        const id = await tokenIdOf(user.id);
        expect((await request(t.app).delete(`/api/auth/tokens/${id}`).set(user.auth)).status).toBe(204);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        expect((await request(other.app).get('/api/auth/me').set(user.auth)).status).toBe(401);
      } finally {
        await other.close();
        removeDataDir(other.dataDir);
      }
    },
  );

  it('when a script signs in or out while sending its bearer token, then it gets a session or a clear 400, never a 500', async () => {
    const user = await makeUser(t.ctx);
    const agent = client().agent().set(user.auth);
    const login = await agent.post('/api/auth/login').send({ email: user.email, password: user.password });
    expect(login.status).toBe(200);
    expect(sidOf(login)).toBeDefined();
    const logout = await request(t.app).post('/api/auth/logout').set(user.auth);
    expect(logout.status).toBe(400);
    expect(logout.body.detail).toMatch(/bearer token/);
    expect((await request(t.app).get('/api/auth/me').set(user.auth)).status).toBe(200);
  });

  it('when a token is wrong, then the request is refused with 401', async () => {
    const res = await request(t.app).get('/api/auth/me').set('Authorization', 'Bearer pet_not-a-token');
    expect(res.status).toBe(401);
  });
});

describe('users', () => {
  it('when an admin creates a user, then it exists; a second with the same email is a 409', async () => {
    const admin = await makeUser(t.ctx, { isAdmin: true });
    const body = { email: `${unique('new')}@example.org`, name: 'New', password: 'long enough password' };
    const created = await request(t.app).post('/api/users').set(admin.auth).send(body);
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ email: body.email, isAdmin: false });
    const again = await request(t.app)
      .post('/api/users')
      .set(admin.auth)
      .send({ ...body, email: body.email.toUpperCase() });
    expect(again.status).toBe(409);
  });

  it('when someone who is not an admin creates a user, then it is refused', async () => {
    const user = await makeUser(t.ctx);
    const body = { email: `${unique('x')}@example.org`, name: 'X', password: 'long enough password' };
    expect((await request(t.app).post('/api/users').set(user.auth).send(body)).status).toBe(403);
    expect((await request(t.app).post('/api/users').send(body)).status).toBe(401);
  });

  it('when the fields are bad, then each is named', async () => {
    const admin = await makeUser(t.ctx, { isAdmin: true });
    const res = await request(t.app)
      .post('/api/users')
      .set(admin.auth)
      .send({ email: 'nope', password: 'short' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'email',
      'name',
      'password',
    ]);
  });
});

describe('request safety', () => {
  it('refuses state-changing requests from another site', async () => {
    const user = await makeUser(t.ctx);
    const login = { email: user.email, password: user.password };
    const byOrigin = await client().post('/api/auth/login').set('Origin', 'https://evil.example').send(login);
    expect(byOrigin.status).toBe(403);
    const byFetchSite = await client()
      .post('/api/auth/login')
      .set('Sec-Fetch-Site', 'cross-site')
      .send(login);
    expect(byFetchSite.status).toBe(403);
    const sameSite = await client()
      .post('/api/auth/login')
      .set('Host', 'petitions.example')
      .set('Origin', 'https://petitions.example')
      .send(login);
    expect(sameSite.status).toBe(200);
  });

  it('sends security headers and no framework banner', async () => {
    const res = await request(t.app).get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    // Not in production: a phone on plain http (local network) must get the assets as they are.
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-frame-options']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
