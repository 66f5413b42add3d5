import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Petition } from '../../../server/petitions/repo';
import { loadPetition } from '../../../server/petitions/repo';
import { setMember, updatePetition } from '../../../server/petitions/service';
import type { TestApp } from '../../support/app';
import { makeMember, makePetition, postSigner, signer, unique, type TestUser } from '../../support/factories';
import type { Hints } from './values';

export const ROLES = ['anonymous', 'viewer', 'volunteer', 'organizer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** One real petition with a member of each role, and real ids of everything the API can address. */
export interface World {
  petition: Petition;
  auth: Record<Role, Record<string, string>>;
  /** Real values for path parameters, by `path|name` where a name means different things, else by name. */
  real: Record<string, string[]>;
  /** Valid values for body fields whose rules go beyond the JSON schema, by field name. */
  hints: (op: string) => Hints;
  /** Puts the shared petition and its members back as they were, after a request that may have changed them. */
  restore(): Promise<void>;
}

const VOTERS = [
  'voter_id,first_name,middle_name,last_name,house_number,street,unit,city,zip,county_fips,date_of_birth,status',
  'F1,Ann,,Lee,12,Main Street,,Oakland,94601,06001,1980-01-02,active',
  'F2,Bob,,Stone,5,Oak Avenue,,San Francisco,94110,06075,1975-05-05,active',
].join('\n');

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not finish`);
}

interface Crew {
  admin: TestUser;
  organizer: TestUser;
  volunteer: TestUser;
  bystander: TestUser;
}

async function realIds(t: TestApp, petition: Petition, { admin, organizer, volunteer, bystander }: Crew) {
  const signatures: string[] = [];
  for (const countyFips of ['06001', '06075', '06037']) {
    signatures.push((await postSigner(t.app, petition.id, volunteer, signer({ countyFips }))).body.id);
  }
  const upload = await request(t.app)
    .post('/api/voter-files?state=CA')
    .set(admin.auth)
    .set('Content-Type', 'text/csv')
    .send(VOTERS);
  const importId = upload.body.importId as string;
  await until('the voter import', async () => {
    const res = await request(t.app).get(`/api/voter-files/${importId}`).set(admin.auth);
    return res.body.status === 'running' ? undefined : res.body;
  });
  const run = await request(t.app)
    .post(`/api/petitions/${petition.id}/verification-runs`)
    .set(organizer.auth);
  const runId = run.body.runId as string;
  await until('the verification run', async () => {
    const res = await request(t.app)
      .get(`/api/petitions/${petition.id}/verification-runs/${runId}`)
      .set(organizer.auth);
    return res.body.status === 'running' ? undefined : res.body;
  });
  const sample = await request(t.app)
    .post(`/api/petitions/${petition.id}/samples`)
    .set(organizer.auth)
    .send({});
  const sampleId = sample.body.id as string;
  // Someone else's token: only an admin may revoke it, and revoking it breaks no role of the run.
  const spare = await request(t.app).post('/api/auth/tokens').set(bystander.auth).send({ name: 'spare' });
  const tokenId = spare.body.id as string;
  // Paper sections of the volunteer: one with a scan, one counted and filed, one left counted.
  const issued = await request(t.app)
    .post(`/api/petitions/${petition.id}/sections`)
    .set(organizer.auth)
    .send({ countyFips: '06001', count: 3, circulatorId: volunteer.id });
  const [scanned, filed, counted] = (issued.body.items as { number: number }[]).map((s) => s.number);
  await request(t.app)
    .put(`/api/petitions/${petition.id}/sections/${scanned}/scan`)
    .set(volunteer.auth)
    .set('Content-Type', 'application/pdf')
    .send(Buffer.from('%PDF-1.4 fuzz'));
  for (const n of [filed, counted]) {
    const section = `/api/petitions/${petition.id}/sections/${n}`;
    await request(t.app).patch(section).set(organizer.auth).send({ status: 'returned' });
    await request(t.app)
      .patch(section)
      .set(organizer.auth)
      .send({ status: 'counted', linesCounted: 3, declarationSignedAt: '2026-11-20' });
  }
  const filing = await request(t.app)
    .post(`/api/petitions/${petition.id}/filings`)
    .set(organizer.auth)
    .send({ countyFips: '06001', sections: [filed] });
  const filingId = filing.body.id as string;
  if (!importId || !runId || !sampleId || !tokenId || !filingId || !scanned || signatures.some((s) => !s)) {
    throw new Error('could not create the real ids the fuzzer addresses');
  }
  return {
    signatures,
    importId,
    runId,
    sampleId,
    tokenId,
    section: scanned,
    counted: counted as number,
    filingId,
  };
}

export async function makeWorld(t: TestApp): Promise<World> {
  const { petition, admin } = await makePetition(t.ctx, { public: true, status: 'circulating' });
  const [viewer, volunteer, organizer, bystander] = [
    await makeMember(t.ctx, petition.id, 'viewer'),
    await makeMember(t.ctx, petition.id, 'volunteer'),
    await makeMember(t.ctx, petition.id, 'organizer'),
    await makeMember(t.ctx, petition.id, 'viewer'),
  ] as [TestUser, TestUser, TestUser, TestUser];
  const ids = await realIds(t, petition, { admin, organizer, volunteer, bystander });
  const { id: _id, state: _state, counties, ...fields } = petition;
  const original = { ...fields, counties: counties.map((c) => ({ fips: c.fips, target: c.target })) };

  const batchItem = () => ({ idempotencyKey: randomUUID(), ...signer() });
  const common: Record<string, () => unknown> = {
    firstName: () => unique('Fuzz'),
    countyFips: () => '06001',
    fips: () => '06001',
    zip: () => '94601',
    state: () => 'CA',
    dateOfBirth: () => '1980-01-02',
    signedAt: () => new Date(Date.now() - 60_000).toISOString(),
    slug: () =>
      unique('fuzz')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-'),
    circulationStart: () => '2026-09-01',
    deadline: () => '2027-03-01',
    reason: () => null,
    password: () => bystander.password,
    signatures: () => [batchItem(), batchItem()],
    seed: () => 'fuzz-seed',
    sections: () => [ids.counted],
  };
  const perOperation: Record<string, Record<string, () => unknown>> = {
    'POST /api/auth/login': { email: () => bystander.email },
    'POST /api/petitions/{id}/members': { email: () => bystander.email, role: () => 'viewer' },
    'PUT /api/petitions/{id}/members/{userId}': { role: () => 'viewer' },
    'POST /api/users': {
      email: () => `${unique('fuzz')}@example.org`,
      password: () => 'correct horse battery staple',
    },
    'PATCH /api/petitions/{id}/signatures/{signatureId}': { status: () => 'pending' },
    'POST /api/petitions': { status: () => 'circulating' },
    'PATCH /api/petitions/{id}': {
      status: () => 'circulating',
      slug: () => petition.slug,
      counties: () => original.counties,
    },
  };

  return {
    petition,
    auth: {
      anonymous: {},
      viewer: viewer.auth,
      volunteer: volunteer.auth,
      organizer: organizer.auth,
      admin: admin.auth,
    },
    real: {
      id: [petition.id, petition.slug],
      userId: [bystander.id],
      signatureId: [ids.signatures[0] as string],
      runId: [ids.runId],
      importId: [ids.importId],
      sampleId: [ids.sampleId],
      number: [String(ids.section)],
      filingId: [ids.filingId],
      state: ['CA'],
      '/api/auth/tokens/{id}|id': [ids.tokenId],
    },
    hints: (op) => (field) => (perOperation[op]?.[field] ?? common[field])?.(),
    restore: async () => {
      const now = await loadPetition(t.ctx.knex, petition.id);
      if (now) await updatePetition(t.ctx, admin.id, now, original);
      await setMember(t.ctx, admin.id, petition.id, { userId: bystander.id }, 'viewer');
    },
  };
}
