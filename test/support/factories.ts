import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import type { PetitionRole } from '../../server/auth/roles';
import { issueToken } from '../../server/auth/tokens';
import type { AppContext } from '../../server/context';
import type { Petition } from '../../server/petitions/repo';
import { createPetition, setMember } from '../../server/petitions/service';
import { createUser } from '../../server/users/repo';

let seq = 0;
export const unique = (label: string) => `${label}-${process.pid}-${Date.now().toString(36)}-${++seq}`;

export interface TestUser {
  id: string;
  email: string;
  password: string;
  token: string;
  auth: { Authorization: string };
}

export async function makeUser(ctx: AppContext, opts: { isAdmin?: boolean } = {}): Promise<TestUser> {
  const email = `${unique('user')}@example.org`;
  const password = 'correct horse battery staple';
  const user = await createUser(ctx.knex, { email, name: 'Test User', password, isAdmin: opts.isAdmin });
  const { token } = await issueToken(ctx.knex, user.id, 'tests');
  return { id: user.id, email, password, token, auth: { Authorization: `Bearer ${token}` } };
}

export async function makePetition(
  ctx: AppContext,
  overrides: Partial<Parameters<typeof createPetition>[2]> = {},
) {
  const admin = await makeUser(ctx, { isAdmin: true });
  const petition: Petition = await createPetition(ctx, admin.id, {
    slug: unique('petition'),
    title: 'Test initiative',
    summary: '',
    state: 'CA',
    measureType: 'initiative_statute',
    signaturesRequired: 1000,
    circulationStart: '2026-09-01',
    deadline: '2027-03-01',
    assumedValidityRate: 0.75,
    public: false,
    status: 'circulating',
    ...overrides,
  });
  return { petition, admin };
}

export async function makeMember(ctx: AppContext, petitionId: string, role: PetitionRole): Promise<TestUser> {
  const user = await makeUser(ctx);
  await setMember(ctx, user.id, petitionId, { userId: user.id }, role);
  return user;
}

export function signer(overrides: Record<string, unknown> = {}) {
  return {
    firstName: unique('Ann'),
    lastName: 'Lee',
    addressLine1: '12 Main Street',
    city: 'Oakland',
    zip: '94601',
    countyFips: '06001',
    ...overrides,
  };
}

export function postSigner(
  app: Express,
  petitionId: string,
  user: TestUser,
  body: object,
  key: string = randomUUID(),
) {
  return request(app)
    .post(`/api/petitions/${petitionId}/signatures`)
    .set(user.auth)
    .set('Idempotency-Key', key)
    .send(body);
}
