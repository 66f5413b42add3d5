import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { useTestApp } from '../support/app';
import { signer } from '../support/factories';
import { CaseBuilder, type Case, type Depth } from './fuzz/cases';
import { excerptOf, problemsOf, report, type Failure } from './fuzz/check';
import { describeOp, operationsOf, type Operation } from './fuzz/openapi';
import { listen, type Answer, type Sender } from './fuzz/send';
import { NUL } from './fuzz/values';
import { makeWorld, ROLES, type Role, type World } from './fuzz/world';

/*
 * Schema-driven fuzzing: every operation of GET /api/openapi.json, as every role, with real and hostile
 * ids, parameters, headers and bodies. Whatever the input, the answer is a success or problem details;
 * never a 500, and never a stack trace, SQL or a driver's message.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261121);
const GUARD = [401, 403, 404];

const app = useTestApp();
let world: World;
let sender: Sender;
let operations: Operation[];

beforeAll(async () => {
  const t = app();
  world = await makeWorld(t);
  sender = await listen(t.app);
  const doc = await sender.send({ method: 'GET', path: '/api/openapi.json', headers: {} });
  if (doc.kind !== 'answer' || doc.status !== 200) throw new Error('no OpenAPI document');
  operations = operationsOf(JSON.parse(doc.text));
});

afterAll(async () => {
  await sender?.close();
});

const isPurge = (op: Operation) => op.path.endsWith('/purge');
/** Requests that may change the shared petition or its members: it is put back after each success. */
const changesWorld = (op: Operation) =>
  (op.method === 'patch' && op.path === '/api/petitions/{id}') ||
  op.path === '/api/petitions/{id}/members/{userId}';

/** Purging the shared petition would end the run: only hostile ids are sent there. */
const skipped = (op: Operation, c: Case) => isPurge(op) && (c.real || !c.input.startsWith('path '));

class Run {
  readonly failures: Failure[] = [];
  sent = 0;

  constructor(private readonly builder: CaseBuilder) {}

  async send(op: Operation, c: Case): Promise<Answer> {
    const answer = await sender.send(c.req);
    this.sent++;
    const problems = problemsOf(answer);
    const extra = problems.length ? undefined : c.expect?.(answer);
    if (extra) problems.push(extra);
    if (problems.length) {
      this.failures.push({
        operation: describeOp(op),
        role: c.role,
        input: c.input,
        status: answer.kind === 'answer' ? answer.status : answer.kind,
        problems,
        excerpt: excerptOf(answer),
      });
    }
    if (changesWorld(op) && answer.kind === 'answer' && answer.status < 300) await world.restore();
    if (op.path === '/api/voter-files' && answer.kind === 'answer' && answer.status === 202) {
      await this.followImport(c, JSON.parse(answer.text).importId as string);
    }
    return answer;
  }

  /** An accepted voter file must end done or failed, and its report must not leak driver text either. */
  private async followImport(c: Case, importId: string): Promise<void> {
    const op = operations.find((o) => o.path === '/api/voter-files/{importId}') as Operation;
    const poll: Case = {
      ...c,
      input: `${c.input}, then its import report`,
      req: { method: 'GET', path: `/api/voter-files/${importId}`, headers: world.auth.admin },
      expect: undefined,
    };
    for (let i = 0; i < 100; i++) {
      const answer = await this.send(op, poll);
      if (answer.kind !== 'answer' || answer.status !== 200 || JSON.parse(answer.text).status !== 'running')
        return;
      await new Promise((r) => setTimeout(r, 50));
    }
    this.failures.push({
      operation: describeOp(op),
      role: 'admin',
      input: poll.input,
      status: 200,
      problems: ['the import was still running after 5 s'],
      excerpt: importId,
    });
  }

  /** Real ids and a valid input per role: who gets past the guard is fuzzed hardest. */
  async depths(op: Operation): Promise<Record<Role, Depth>> {
    const passing: Role[] = [];
    for (const role of ROLES) {
      if (isPurge(op)) break;
      const answer = await this.send(op, this.builder.valid(op, role));
      if (answer.kind === 'answer' && !GUARD.includes(answer.status)) passing.push(role);
    }
    if (!passing.length && !isPurge(op)) {
      this.failures.push({
        operation: describeOp(op),
        role: 'all',
        input: 'a valid request with real ids',
        status: 'guard',
        problems: ['no role got past the guard: the fuzzer never reached its input handling'],
        excerpt: '',
      });
    }
    // The first role past the guard gets every case; the others a sample; the rest only what a guard sees.
    const depthOf = (r: Role): Depth => {
      if (r === passing[0]) return 'full';
      if (passing.includes(r) || (isPurge(op) && r === 'admin')) return 'light';
      return 'guarded';
    };
    return Object.fromEntries(ROLES.map((r) => [r, depthOf(r)])) as Record<Role, Depth>;
  }
}

describe('schema-driven fuzzing of every operation', () => {
  it('answers hostile ids, parameters, headers and bodies from every role with problem details, never a 500 or a leak', async () => {
    const builder = new CaseBuilder(world, SEED);
    const run = new Run(builder);
    for (const op of operations) {
      const depths = await run.depths(op);
      for (const role of ROLES) {
        for (const c of builder.cases(op, role, depths[role])) {
          if (!skipped(op, c)) await run.send(op, c);
        }
      }
    }
    const line = {
      test: 'fuzz',
      operations: operations.length,
      requests: run.sent,
      failures: run.failures.length,
    };
    console.log(
      `[faults] fuzz: ${line.requests} requests over ${line.operations} operations, ${line.failures} failures`,
    );
    if (process.env.FAULTS_REPORT) appendFileSync(process.env.FAULTS_REPORT, `${JSON.stringify(line)}\n`);
    expect(run.sent).toBeGreaterThan(1000);
    expect(report(run.failures, run.sent)).toBe('');
  });

  it('stores the good signer of a batch whose other signer has a NUL byte', async () => {
    const good = { idempotencyKey: randomUUID(), ...signer() };
    const bad = { idempotencyKey: randomUUID(), ...signer({ firstName: NUL }) };
    const answer = await sender.send({
      method: 'POST',
      path: `/api/petitions/${world.petition.id}/signatures/batch`,
      headers: world.auth.volunteer,
      body: { contentType: 'application/json', data: JSON.stringify({ signatures: [bad, good] }) },
    });
    expect(problemsOf(answer)).toEqual([]);
    expect(answer.kind === 'answer' && answer.status).toBe(200);
    const { results } = JSON.parse(answer.kind === 'answer' ? answer.text : '{}') as {
      results: { status: number }[];
    };
    expect(results[1]?.status).toBe(201);
    expect(results[0]?.status).toBeLessThan(500);
  });
});
