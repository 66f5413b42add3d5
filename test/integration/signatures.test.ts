import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { makeMember, makePetition, postSigner, signer } from '../support/factories';
import { useTestApp, type TestApp } from '../support/app';

const app = useTestApp();
let t: TestApp;
beforeAll(() => {
  t = app();
});

async function setup() {
  const { petition, admin } = await makePetition(t.ctx);
  const volunteer = await makeMember(t.ctx, petition.id, 'volunteer');
  const organizer = await makeMember(t.ctx, petition.id, 'organizer');
  return { petition, admin, volunteer, organizer };
}

const rows = (petitionId: string) =>
  t.ctx.knex('signatures').where({ petition_id: petitionId }).count({ n: '*' }).first() as Promise<{
    n: number;
  }>;

describe('recording a signer', () => {
  it('when a volunteer records a signer, then it is stored as pending with its circulator', async () => {
    const { petition, volunteer } = await setup();
    const res = await postSigner(t.app, petition.id, volunteer, signer({ signedAt: '2026-11-20T10:00:00Z' }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      status: 'pending',
      countyFips: '06001',
      duplicateOf: null,
      circulatorId: volunteer.id,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });

  it('when a volunteer retries with the same key and body, then one signature is stored and the retry gets 200', async () => {
    const { petition, volunteer } = await setup();
    const key = randomUUID();
    const body = signer();
    const first = await postSigner(t.app, petition.id, volunteer, body, key);
    const again = await postSigner(
      t.app,
      petition.id,
      volunteer,
      { ...body, firstName: ` ${body.firstName} ` },
      key,
    );
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await rows(petition.id)).n).toBe(1);
  });

  it('when 20 retries of one key arrive at once, then exactly one signature is stored', async () => {
    const { petition, volunteer } = await setup();
    const key = randomUUID();
    const body = signer();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => postSigner(t.app, petition.id, volunteer, body, key)),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect((await rows(petition.id)).n).toBe(1);
  });

  it('when a key is reused with another body, then 422 and nothing changes', async () => {
    const { petition, volunteer } = await setup();
    const key = randomUUID();
    await postSigner(t.app, petition.id, volunteer, signer({ lastName: 'First' }), key);
    const res = await postSigner(t.app, petition.id, volunteer, signer({ lastName: 'Second' }), key);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await rows(petition.id)).n).toBe(1);
  });

  it('when the same person signs again, however typed, then it is stored as a duplicate of the first', async () => {
    const { petition, volunteer } = await setup();
    const first = await postSigner(
      t.app,
      petition.id,
      volunteer,
      signer({ firstName: 'Ann', addressLine1: '12 North Main Street' }),
    );
    const second = await postSigner(
      t.app,
      petition.id,
      volunteer,
      signer({ firstName: 'ANN', lastName: 'lee', addressLine1: '12 N. Main St', zip: '94601-2211' }),
    );
    const third = await postSigner(
      t.app,
      petition.id,
      volunteer,
      signer({ firstName: 'ann', addressLine1: '12 north main st.' }),
    );
    expect(second.body).toMatchObject({ status: 'duplicate', duplicateOf: first.body.id });
    expect(third.body).toMatchObject({ status: 'duplicate', duplicateOf: first.body.id });
    const other = await postSigner(
      t.app,
      petition.id,
      volunteer,
      signer({ firstName: 'Ann', addressLine1: '14 North Main Street' }),
    );
    expect(other.body.status).toBe('pending');
  });

  it('when two volunteers record the same new person at the same moment, then exactly one is the original', async () => {
    const { petition, volunteer } = await setup();
    const other = await makeMember(t.ctx, petition.id, 'volunteer');
    const person = signer({ firstName: 'Zed' });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => postSigner(t.app, petition.id, i % 2 ? volunteer : other, person)),
    );
    const originals = results.filter((r) => r.body.status === 'pending');
    expect(originals).toHaveLength(1);
    expect(results.filter((r) => r.body.duplicateOf === originals[0]?.body.id)).toHaveLength(7);
  });

  it('when the key is missing or not a UUID, then 400 naming Idempotency-Key', async () => {
    const { petition, volunteer } = await setup();
    const missing = await request(t.app)
      .post(`/api/petitions/${petition.id}/signatures`)
      .set(volunteer.auth)
      .send(signer());
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ path: 'Idempotency-Key', message: expect.any(String) }]);
    const notUuid = await postSigner(t.app, petition.id, volunteer, signer(), 'abc');
    expect(notUuid.status).toBe(400);
  });

  it('when fields are bad, then 400 names each field; a county outside the petition too', async () => {
    const { petition, volunteer } = await setup();
    const bad = await postSigner(t.app, petition.id, volunteer, {
      firstName: '',
      addressLine1: 'x',
      city: 'Oakland',
      zip: '9460',
      countyFips: '6001',
      email: 'not-an-email',
      signedAt: '2099-01-01T00:00:00Z',
      isAdmin: true,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      [
        'signer',
        'signer.countyFips',
        'signer.email',
        'signer.firstName',
        'signer.lastName',
        'signer.signedAt',
        'signer.zip',
      ].sort(),
    );
    const ohio = await postSigner(t.app, petition.id, volunteer, signer({ countyFips: '39049' }));
    expect(ohio.status).toBe(400);
    expect(ohio.body.errors).toEqual([
      { path: 'signer.countyFips', message: expect.stringMatching(/not a county/) },
    ]);
    expect((await rows(petition.id)).n).toBe(0);
  });

  it('refuses malformed JSON, other content types and bodies over 1 MB with problem details', async () => {
    const { petition, volunteer } = await setup();
    const url = `/api/petitions/${petition.id}/signatures`;
    const send = () => request(t.app).post(url).set(volunteer.auth).set('Idempotency-Key', randomUUID());
    const malformed = await send().set('Content-Type', 'application/json').send('{"firstName": ');
    expect(malformed.status).toBe(400);
    const form = await send().type('form').send('firstName=Ann');
    expect(form.status).toBe(415);
    const huge = await send().send({ ...signer(), addressLine2: 'x'.repeat(1_100_000) });
    expect(huge.status).toBe(413);
    for (const res of [malformed, form, huge]) {
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.status).toBe(res.status);
    }
    expect((await rows(petition.id)).n).toBe(0);
  });

  it('when the petition is not circulating, then 409', async () => {
    const { petition, volunteer } = await makePetition(t.ctx, { status: 'draft' }).then(async (p) => ({
      ...p,
      volunteer: await makeMember(t.ctx, p.petition.id, 'volunteer'),
    }));
    expect((await postSigner(t.app, petition.id, volunteer, signer())).status).toBe(409);
  });

  it('lets volunteers and up record signers, never viewers or strangers', async () => {
    const { petition, organizer } = await setup();
    const viewer = await makeMember(t.ctx, petition.id, 'viewer');
    expect((await postSigner(t.app, petition.id, organizer, signer())).status).toBe(201);
    expect((await postSigner(t.app, petition.id, viewer, signer())).status).toBe(403);
    const anonymous = await request(t.app)
      .post(`/api/petitions/${petition.id}/signatures`)
      .set('Idempotency-Key', randomUUID())
      .send(signer());
    expect(anonymous.status).toBe(401);
  });
});

describe('recording signers in a batch', () => {
  it('stores the good items even when others are bad, with a result for each in order', async () => {
    const { petition, volunteer } = await setup();
    const repeatKey = randomUUID();
    const ann = signer({ firstName: 'Batch Ann' });
    const signatures = [
      { idempotencyKey: repeatKey, ...ann },
      { idempotencyKey: randomUUID(), ...signer(), zip: 'nope' },
      { idempotencyKey: randomUUID(), ...signer(), countyFips: '39049' },
      { idempotencyKey: repeatKey, ...ann },
      { idempotencyKey: randomUUID(), ...ann },
      { ...signer() },
      { idempotencyKey: randomUUID(), ...signer() },
    ];
    const res = await request(t.app)
      .post(`/api/petitions/${petition.id}/signatures/batch`)
      .set(volunteer.auth)
      .send({ signatures });
    expect(res.status).toBe(200);
    const results = res.body.results;
    expect(results.map((r: { status: number }) => r.status)).toEqual([201, 400, 400, 200, 201, 400, 201]);
    expect(results[1].errors[0].path).toBe('signatures.1.zip');
    expect(results[2].errors[0].path).toBe('signatures.2.countyFips');
    expect(results[3].signature.id).toBe(results[0].signature.id);
    expect(results[4].signature).toMatchObject({ status: 'duplicate', duplicateOf: results[0].signature.id });
    expect(results[5].errors[0].path).toBe('signatures.5.idempotencyKey');
    expect((await rows(petition.id)).n).toBe(3);
  });

  it('refuses an empty batch and one over 1,000 signers', async () => {
    const { petition, volunteer } = await setup();
    const url = `/api/petitions/${petition.id}/signatures/batch`;
    expect((await request(t.app).post(url).set(volunteer.auth).send({ signatures: [] })).status).toBe(400);
    const many = Array.from({ length: 1001 }, () => ({ idempotencyKey: randomUUID(), ...signer() }));
    const res = await request(t.app).post(url).set(volunteer.auth).send({ signatures: many });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('signatures');
  });
});

describe('reading and checking signers', () => {
  it('shows volunteers only their own signers and organizers all, newest first, page by page; each read is audited', async () => {
    const { petition, volunteer, organizer } = await setup();
    const other = await makeMember(t.ctx, petition.id, 'volunteer');
    for (let i = 0; i < 3; i++) await postSigner(t.app, petition.id, volunteer, signer());
    for (let i = 0; i < 2; i++) await postSigner(t.app, petition.id, other, signer());
    const url = `/api/petitions/${petition.id}/signatures`;

    const own = await request(t.app).get(url).set(volunteer.auth);
    expect(own.status).toBe(200);
    expect(own.body.items).toHaveLength(3);
    expect(own.body.items.every((s: { circulatorId: string }) => s.circulatorId === volunteer.id)).toBe(true);

    const page1 = await request(t.app).get(url).query({ limit: 3 }).set(organizer.auth);
    expect(page1.body.items).toHaveLength(3);
    expect(page1.body.items[0]).toMatchObject({
      firstName: expect.any(String),
      addressLine1: '12 Main Street',
    });
    const page2 = await request(t.app)
      .get(url)
      .query({ limit: 3, cursor: page1.body.nextCursor })
      .set(organizer.auth);
    expect(page2.body.items).toHaveLength(2);
    expect(page2.body.nextCursor).toBeNull();
    const all = [...page1.body.items, ...page2.body.items];
    expect(new Set(all.map((s) => s.id)).size).toBe(5);
    const times = all.map((s) => s.createdAt);
    expect([...times].sort().reverse()).toEqual(times);

    const viewer = await makeMember(t.ctx, petition.id, 'viewer');
    expect((await request(t.app).get(url).set(viewer.auth)).status).toBe(403);
    expect((await request(t.app).get(url).query({ status: 'lost' }).set(organizer.auth)).status).toBe(400);
    expect((await request(t.app).get(url).query({ cursor: 'garbage' }).set(organizer.auth)).status).toBe(400);

    const reads = await t.ctx
      .knex('audit_log')
      .where({ petition_id: petition.id, action: 'signatures.listed' });
    expect(reads).toHaveLength(3);
    expect(reads.map((r) => r.actor_id)).toEqual(expect.arrayContaining([volunteer.id, organizer.id]));
  });

  it('with ?circulator=me lists only the caller’s own signers, whatever the caller’s role', async () => {
    const { petition, volunteer, organizer } = await setup();
    await postSigner(t.app, petition.id, volunteer, signer());
    const own = await postSigner(t.app, petition.id, organizer, signer());
    const url = `/api/petitions/${petition.id}/signatures`;
    const all = await request(t.app).get(url).set(organizer.auth);
    expect(all.body.items).toHaveLength(2);
    const mine = await request(t.app).get(url).query({ circulator: 'me' }).set(organizer.auth);
    expect(mine.body.items.map((s: { id: string }) => s.id)).toEqual([own.body.id]);
    expect((await request(t.app).get(url).query({ circulator: 'someone' }).set(organizer.auth)).status).toBe(
      400,
    );
  });

  it('lets organizers change a status, with a reason for invalid, and audits who did it', async () => {
    const { petition, volunteer, organizer } = await setup();
    const { body: stored } = await postSigner(t.app, petition.id, volunteer, signer());
    const url = `/api/petitions/${petition.id}/signatures/${stored.id}`;

    const noReason = await request(t.app).patch(url).set(organizer.auth).send({ status: 'invalid' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].path).toBe('reason');
    const res = await request(t.app)
      .patch(url)
      .set(organizer.auth)
      .send({ status: 'invalid', reason: 'wrong_county' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: stored.id, status: 'invalid', reason: 'wrong_county' });
    expect((await request(t.app).patch(url).set(volunteer.auth).send({ status: 'valid' })).status).toBe(403);
    const missing = `/api/petitions/${petition.id}/signatures/${randomUUID()}`;
    expect((await request(t.app).patch(missing).set(organizer.auth).send({ status: 'valid' })).status).toBe(
      404,
    );

    const [entry] = await t.ctx
      .knex('audit_log')
      .where({ subject_id: stored.id, action: 'signature.status_changed' });
    expect(entry).toMatchObject({ actor_id: organizer.id, petition_id: petition.id });
    expect(entry.detail).toMatchObject({
      from: 'pending',
      to: 'invalid',
      reason: 'wrong_county',
      via: 'api',
    });
  });

  it('keeps the audit log append-only', async () => {
    await expect(t.ctx.knex('audit_log').update({ action: 'tampered' })).rejects.toThrow(/append-only/);
    await expect(t.ctx.knex('audit_log').delete()).rejects.toThrow(/append-only/);
  });
});
