import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import { setMember } from '../../../server/petitions/service';
import { INVALID_REASONS, SIGNATURE_STATUSES } from '../../../server/signatures/schemas';
import { rollupTallies } from '../../../server/tallies/rollup';
import { recount } from '../../../server/tallies/recount';
import type { TestApp } from '../../support/app';
import { makePetition, type TestUser } from '../../support/factories';
import { sumCounts } from './oracles';

/*
 * Random sequences of operations on one petition, a few of them at once in each step: signers recorded
 * (one at a time, retried with the same key, or in batches), status changes, rollups and reads. After
 * each sequence the progress document must equal a count of the signers, and the recount finds no drift.
 */

export const COUNTIES = ['06001', '06037', '06075'] as const;
type Status = (typeof SIGNATURE_STATUSES)[number];

export type Op =
  | { kind: 'record'; county: number; person: number; retry: boolean }
  | { kind: 'batch'; people: { county: number; person: number }[] }
  | { kind: 'status'; target: number; status: Status; reason: (typeof INVALID_REASONS)[number] }
  | { kind: 'rollup' }
  | { kind: 'read' };

const signerRef = { county: fc.nat(COUNTIES.length - 1), person: fc.nat(5) };
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('record' as const), ...signerRef, retry: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('batch' as const),
      people: fc.array(fc.record(signerRef), { minLength: 1, maxLength: 5 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('status' as const),
      target: fc.nat(50),
      status: fc.constantFrom(...SIGNATURE_STATUSES),
      reason: fc.constantFrom(...INVALID_REASONS),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'rollup' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'read' as const }) },
);

/** Steps run one after another; the operations of one step run concurrently. */
export const scenarios = fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), {
  minLength: 1,
  maxLength: 6,
});

export interface Crew {
  organizer: TestUser;
  volunteer: TestUser;
}

interface Run {
  t: TestApp;
  crew: Crew;
  petitionId: string;
  ids: string[];
}

const person = (n: number, county: number) => ({
  firstName: `Person${n}`,
  lastName: 'Interleaved',
  addressLine1: `${n} Main Street`,
  city: 'Oakland',
  zip: '94601',
  countyFips: COUNTIES[county] as string,
});

function expectStatus(what: string, res: request.Response, allowed: number[]): void {
  if (!allowed.includes(res.status)) {
    throw new Error(
      `${what} answered ${res.status} (wanted ${allowed.join('/')}): ${res.text.slice(0, 300)}`,
    );
  }
}

async function record(run: Run, o: Extract<Op, { kind: 'record' }>): Promise<void> {
  const key = randomUUID();
  const send = () =>
    request(run.t.app)
      .post(`/api/petitions/${run.petitionId}/signatures`)
      .set(run.crew.volunteer.auth)
      .set('Idempotency-Key', key)
      .send(person(o.person, o.county));
  const answers = await Promise.all(o.retry ? [send(), send()] : [send()]);
  answers.forEach((res) => expectStatus('recording a signer', res, [200, 201]));
  const stored = new Set(answers.map((res) => res.body.id as string));
  if (stored.size !== 1) throw new Error(`one key stored ${stored.size} signers`);
  if (answers.filter((res) => res.status === 201).length !== 1) throw new Error('a retry was counted twice');
  run.ids.push(...stored);
}

async function batch(run: Run, o: Extract<Op, { kind: 'batch' }>): Promise<void> {
  const signatures = o.people.map((p) => ({ idempotencyKey: randomUUID(), ...person(p.person, p.county) }));
  const res = await request(run.t.app)
    .post(`/api/petitions/${run.petitionId}/signatures/batch`)
    .set(run.crew.volunteer.auth)
    .send({ signatures });
  expectStatus('a batch', res, [200]);
  for (const item of res.body.results as { status: number; signature?: { id: string } }[]) {
    if (item.status !== 201 || !item.signature) throw new Error(`a batch item answered ${item.status}`);
    run.ids.push(item.signature.id);
  }
}

async function changeStatus(run: Run, o: Extract<Op, { kind: 'status' }>, known: string[]): Promise<void> {
  const id = known[o.target % known.length];
  if (!id) return;
  const res = await request(run.t.app)
    .patch(`/api/petitions/${run.petitionId}/signatures/${id}`)
    .set(run.crew.organizer.auth)
    .send(o.status === 'invalid' ? { status: o.status, reason: o.reason } : { status: o.status });
  expectStatus('a status change', res, [200]);
}

async function apply(run: Run, o: Op, known: string[]): Promise<void> {
  switch (o.kind) {
    case 'record':
      return record(run, o);
    case 'batch':
      return batch(run, o);
    case 'status':
      return changeStatus(run, o, known);
    case 'rollup':
      await rollupTallies(run.t.ctx.knex);
      return;
    case 'read': {
      const res = await request(run.t.app)
        .get(`/api/petitions/${run.petitionId}/progress`)
        .set(run.crew.organizer.auth);
      expectStatus('reading progress', res, [200]);
    }
  }
}

type Tally = Record<string, Record<Status, number>>;

const emptyTally = (): Tally =>
  Object.fromEntries(COUNTIES.map((f) => [f, { pending: 0, valid: 0, invalid: 0, duplicate: 0 }]));

async function countedBySql(run: Run): Promise<Tally> {
  const { rows } = await run.t.ctx.knex.raw<{ rows: { county_fips: string; status: Status; n: number }[] }>(
    'select county_fips, status, count(*)::int as n from signatures where petition_id = ? group by 1, 2',
    [run.petitionId],
  );
  const tally = emptyTally();
  for (const r of rows) (tally[r.county_fips] as Record<Status, number>)[r.status] = r.n;
  return tally;
}

interface CountyRow extends Record<Status, number> {
  fips: string;
  raw: number;
}

/** Runs one scenario on a fresh petition and checks the progress document against the signers. */
export async function runScenario(t: TestApp, crew: Crew, steps: Op[][]): Promise<void> {
  const { petition, admin } = await makePetition(t.ctx, { counties: COUNTIES.map((fips) => ({ fips })) });
  for (const [user, role] of [
    [crew.organizer, 'organizer'],
    [crew.volunteer, 'volunteer'],
  ] as const) {
    await setMember(t.ctx, admin.id, petition.id, { userId: user.id }, role);
  }
  const run: Run = { t, crew, petitionId: petition.id, ids: [] };
  for (const step of steps) {
    const known = [...run.ids];
    await Promise.all(step.map((o) => apply(run, o, known)));
  }

  const res = await request(t.app).get(`/api/petitions/${petition.id}/progress`).set(crew.organizer.auth);
  expectStatus('reading progress', res, [200]);
  const counted = await countedBySql(run);
  const shown = emptyTally();
  for (const c of res.body.counties as CountyRow[]) {
    shown[c.fips] = { pending: c.pending, valid: c.valid, invalid: c.invalid, duplicate: c.duplicate };
    expect(c.raw).toBe(c.pending + c.valid + c.invalid + c.duplicate);
  }
  expect(shown).toEqual(counted);
  const totals = sumCounts(Object.values(counted));
  expect(res.body.totals).toMatchObject({ ...totals, raw: run.ids.length });
  const daily = (res.body.daily as { raw: number }[]).reduce((s, d) => s + d.raw, 0);
  expect(daily).toBe(run.ids.length);
  const drift = (await recount(t.ctx.knex)).drift.filter((d) => d.petitionId === petition.id);
  expect(drift).toEqual([]);
}
