import { randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { setAuditActor } from '../audit/record';
import type { Petition } from '../petitions/repo';
import { createPetition, setMember } from '../petitions/service';
import type { ChangeBus } from '../events/bus';
import type { PetitionCache } from '../petitions/cache';
import { storeSigners } from '../signatures/intake';
import type { SignerInput } from '../signatures/schemas';
import { createUser } from '../users/repo';
import { countyPicker, seededRandom, syntheticSigner } from './synthetic';

export interface DemoLogin {
  role: string;
  email: string;
  password: string;
}

const DAY_MS = 86_400_000;
const REASONS = [
  'not_registered',
  'not_registered',
  'not_registered',
  'wrong_county',
  'incomplete',
  'signature_mismatch',
];

function isoDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * On an empty database: a public California constitutional-amendment initiative with a few thousand
 * synthetic signers over the last six weeks (by county population; about 3 % repeat signers; about 60 % of
 * the rest checked, three in four of them valid), and an organizer, a volunteer and a viewer.
 */
export async function seedDemo(
  deps: { knex: Knex; bus: ChangeBus; petitions: PetitionCache },
  opts: { signers?: number; now?: Date } = {},
): Promise<DemoLogin[] | undefined> {
  const { knex } = deps;
  if (await knex('petitions').first('id')) return undefined;
  const now = opts.now ?? new Date();
  const rng = seededRandom(2026);
  const password = () => randomBytes(12).toString('base64url');

  const logins: DemoLogin[] = ['organizer', 'volunteer', 'viewer'].map((role) => ({
    role,
    email: `${role}@demo.petition.local`,
    password: password(),
  }));
  const users = [];
  for (const login of logins) {
    users.push(
      await createUser(knex, { email: login.email, name: `Demo ${login.role}`, password: login.password }),
    );
  }
  const [organizer, volunteer, viewer] = users as unknown as [{ id: string }, { id: string }, { id: string }];

  const petition: Petition = await createPetition(deps, organizer.id, {
    slug: 'california-independence',
    title: 'California Independence Constitutional Amendment',
    summary:
      'A constitutional amendment asking voters whether California should become a free, sovereign and ' +
      'independent country. Needs 585,407 valid signatures (8 % of the 2014 vote for governor).',
    state: 'CA',
    measureType: 'constitutional_amendment',
    signaturesRequired: 585_407,
    circulationStart: isoDay(now.getTime() - 45 * DAY_MS),
    deadline: isoDay(now.getTime() + 135 * DAY_MS),
    assumedValidityRate: 0.75,
    public: true,
    status: 'circulating',
  });
  await setMember(deps, organizer.id, petition.id, organizer.id, 'organizer');
  await setMember(deps, organizer.id, petition.id, volunteer.id, 'volunteer');
  await setMember(deps, organizer.id, petition.id, viewer.id, 'viewer');

  const total = opts.signers ?? 4000;
  const pickCounty = countyPicker(petition.counties, 'CA');
  const earlier: SignerInput[] = [];
  const items: { key: string; input: SignerInput }[] = [];
  for (let i = 0; i < total; i++) {
    // Intake grows over the six weeks: more signers lately.
    const age = 42 * DAY_MS * (1 - Math.sqrt(rng()));
    const signedAt = new Date(now.getTime() - age - 60_000).toISOString();
    const repeat = earlier.length > 50 && rng() < 0.03;
    const person = repeat
      ? (earlier[Math.floor(rng() * earlier.length)] as SignerInput)
      : syntheticSigner(rng, pickCounty(rng));
    const input = { ...person, signedAt };
    earlier.push(input);
    items.push({ key: randomUUID(), input });
  }
  for (let i = 0; i < items.length; i += 1000) {
    await storeSigners(knex, petition, volunteer.id, items.slice(i, i + 1000));
  }

  await knex.transaction(async (trx) => {
    await setAuditActor(trx, organizer.id, { via: 'demo' });
    const pending: { id: string }[] = await trx('signatures')
      .where({ petition_id: petition.id, status: 'pending' })
      .orderBy('id')
      .select('id');
    const valid: string[] = [];
    const invalid = new Map<string, string[]>();
    for (const { id } of pending) {
      if (rng() > 0.6) continue;
      if (rng() < 0.75) valid.push(id);
      else {
        const reason = REASONS[Math.floor(rng() * REASONS.length)] as string;
        invalid.set(reason, [...(invalid.get(reason) ?? []), id]);
      }
    }
    await trx('signatures')
      .where({ petition_id: petition.id })
      .whereIn('id', valid)
      .update({ status: 'valid' });
    for (const [reason, ids] of invalid) {
      await trx('signatures')
        .where({ petition_id: petition.id })
        .whereIn('id', ids)
        .update({ status: 'invalid', reason });
    }
  });
  deps.bus.publish({ kind: 'tallies', id: petition.id });
  return logins;
}
