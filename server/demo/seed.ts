import { randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Petition } from '../petitions/repo';
import { createPetition, setMember } from '../petitions/service';
import type { ChangeBus } from '../events/bus';
import type { PetitionCache } from '../petitions/cache';
import { storeSigners } from '../signatures/store';
import type { SignerInput } from '../signatures/schemas';
import { createUser } from '../users/repo';
import { Readable } from 'node:stream';
import type { Database } from '../db';
import { beginRun, runVerification } from '../verification/matching';
import { drawSample } from '../verification/samples';
import { beginImport, runImport } from '../verification/voter-import';
import { demoSignerSource, demoVoters, voterCsv } from './demo-people';
import { advanceSheets, sheetsFor } from './sections';
import { seededRandom } from './synthetic';

export interface DemoLogin {
  role: string;
  email: string;
  password: string;
}

const DAY_MS = 86_400_000;

function isoDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * On an empty database: a public California constitutional-amendment initiative; a synthetic voter file
 * for California; a few thousand signers over the last six weeks (by county population; most of them
 * registered voters, some not, some in the wrong county, a few with typos, about 3 % repeat signers),
 * those older than four days checked by a verification run; a random sample with its projection; the
 * paper sections they signed, in every state from out with a circulator to filed; and an organizer, a
 * volunteer and a viewer.
 */
export async function seedDemo(
  deps: { knex: Knex; db: Database; bus: ChangeBus; petitions: PetitionCache },
  opts: { signers?: number; voters?: number; now?: Date } = {},
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
  await setMember(deps, organizer.id, petition.id, { userId: organizer.id }, 'organizer');
  await setMember(deps, organizer.id, petition.id, { userId: volunteer.id }, 'volunteer');
  await setMember(deps, organizer.id, petition.id, { userId: viewer.id }, 'viewer');

  // A small voter file for the state, and signers drawn mostly from it.
  const voters = demoVoters(rng, petition.counties, opts.voters ?? 20_000);
  const importId = await beginImport(knex, 'CA');
  await runImport(deps.db, importId, { state: 'CA', input: Readable.from(voterCsv(voters)) });

  const total = opts.signers ?? 4000;
  const nextSigner = demoSignerSource(rng, voters, petition.counties);
  // Three collectors: the demo volunteer and two field teams (one careless) who cannot sign in.
  const teams = [];
  for (const name of ['Field team North', 'Field team South']) {
    teams.push(
      await createUser(knex, {
        email: `${name.toLowerCase().replace(/ /g, '-')}@demo.petition.local`,
        name,
        password: password(),
      }),
    );
  }
  for (const team of teams)
    await setMember(deps, organizer.id, petition.id, { userId: team.id }, 'volunteer');
  const collectors = [volunteer.id, ...teams.map((t) => t.id)];
  const earlier: SignerInput[] = [];
  const older: { key: string; input: SignerInput; collector: number }[] = [];
  const recent: { key: string; input: SignerInput; collector: number }[] = [];
  for (let i = 0; i < total; i++) {
    // Intake grows over the six weeks: more signers lately.
    const age = 42 * DAY_MS * (1 - Math.sqrt(rng()));
    const signedAt = new Date(now.getTime() - age - 60_000).toISOString();
    const r = rng();
    const collector = r < 0.6 ? 0 : r < 0.9 ? 1 : 2;
    const person =
      earlier.length > 50 && rng() < 0.03
        ? (earlier[Math.floor(rng() * earlier.length)] as SignerInput)
        : nextSigner(collector === 2);
    const input = { ...person, signedAt };
    earlier.push(input);
    (age > 4 * DAY_MS ? older : recent).push({ key: randomUUID(), input, collector });
  }
  // Every signer signed a numbered paper section of their county, carried by their collector.
  await sheetsFor(knex, petition, organizer.id, collectors, [...older, ...recent]);
  const store = async (items: { key: string; input: SignerInput; collector: number }[]) => {
    for (const [c, circulatorId] of collectors.entries()) {
      const mine = items.filter((i) => i.collector === c);
      for (let i = 0; i < mine.length; i += 1000) {
        const batch = mine.slice(i, i + 1000).map((m, n) => ({ ...m, at: `demo.${n}`, keyAt: `demo.${n}` }));
        await storeSigners(knex, petition, circulatorId, batch);
      }
    }
  };
  // Signers older than four days have been checked against the voter file; the last days' wait.
  await store(older);
  const runId = await beginRun(knex, petition, organizer.id);
  await runVerification(knex, petition, runId, organizer.id);
  await store(recent);
  await drawSample(knex, petition, organizer.id, 'demo');
  await advanceSheets(knex, petition, organizer.id, volunteer.id, now);
  deps.bus.publish({ kind: 'tallies', id: petition.id });
  return logins;
}
