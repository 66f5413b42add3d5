import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { usingPostgres } from '../support/app';
import { checkExactness, contractBreach, NO_PROBLEMS, problems, report } from './support/checks';
import { call, readProgress, setUpCampaign, type Progress } from './support/http';
import { attempt, LoadGenerator, stopAllLoads, type Outcome } from './support/load';
import { freshFaultDatabase, ServerProcess, sleep, waitFor, type FaultDatabase } from './support/server';
import { EventStream } from './support/sse';

/*
 * Two server processes on one PostgreSQL database, under load, while every connection to that
 * database is terminated, five times about a second apart (a failover, a restarted pooler, an
 * administrator's pg_terminate_backend). The processes must stay up and recover by themselves; during
 * the outage an error is a 503 problem document with Retry-After, never a 500, a stack or SQL.
 */

const KILLS = 5;
const REQUEST_TIMEOUT_MS = 15_000;
/** Answers of 201/200 each process must give its clients after the kills to count as recovered. */
const RECOVERED_AFTER = 25;

let db: FaultDatabase | undefined;
const servers: ServerProcess[] = [];
/** Streams and readers a failed test may have left running. */
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await stopAllLoads();
  await Promise.all(closers.splice(0).map((close) => close()));
  await Promise.all(servers.map((s) => s.dispose()));
  servers.length = 0;
  await db?.dispose();
  db = undefined;
});

interface Breach {
  what: string;
  breach: string;
}

/** Reads dashboards and accounts keep making while intake goes on: progress on both processes, `me`. */
function startReaders(
  targets: { what: string; url: string; headers: Record<string, string> }[],
  onOutcome: (what: string, outcome: Outcome) => void,
): () => Promise<void> {
  let running = true;
  const loops = targets.map(async (t) => {
    while (running) {
      onOutcome(t.what, await attempt(t.url, { headers: t.headers }, REQUEST_TIMEOUT_MS));
      await sleep(100);
    }
  });
  return async () => {
    running = false;
    await Promise.all(loops);
  };
}

/** Brings back a process that died (it should not have), so that the rest of the test can still count. */
async function revive(s: ServerProcess): Promise<void> {
  if (!s.running) await s.start();
}

describe('the database connections killed under load', () => {
  (usingPostgres ? it : it.skip)(
    'when every database connection is killed five times mid-load, then both processes stay up, errors are 503 with Retry-After, nothing acknowledged is lost, and the other process’s stream resumes',
    async () => {
      db = await freshFaultDatabase();
      const a = await ServerProcess.start('A', db);
      servers.push(a);
      const b = await ServerProcess.start('B', db);
      servers.push(b);
      try {
        const campaign = await setUpCampaign(a.url);
        const petitionId = campaign.petition.id;

        const breaches: Breach[] = [];
        let timeouts = 0;
        const answers: Record<string, number> = {};
        let sample503: { what: string; retryAfter: string | null; body: string } | undefined;
        const inspect = (what: string, outcome: Outcome) => {
          if (outcome.kind === 'timeout') timeouts++;
          if (outcome.kind === 'answer') answers[outcome.status] = (answers[outcome.status] ?? 0) + 1;
          if (outcome.kind === 'answer' && outcome.status === 503)
            sample503 ??= { what, retryAfter: outcome.retryAfter, body: outcome.body.slice(0, 300) };
          const breach = contractBreach(outcome);
          if (breach) breaches.push({ what, breach });
        };

        const stream = new EventStream(`${b.url}/api/petitions/${petitionId}/progress/stream`);
        stream.start();
        closers.push(() => stream.close());
        await stream.waitForEvent('the first progress event on B', (e) => e.event === 'progress', 15_000);

        // Half the clients on each process; bearer tokens and session cookies (the volunteer app).
        const load = new LoadGenerator({
          baseUrl: (client) => (client % 2 ? b.url : a.url),
          petitionId,
          credentials: [
            { token: campaign.volunteerToken },
            { token: campaign.volunteerToken },
            { cookie: campaign.volunteerCookie },
            { cookie: campaign.volunteerCookie },
          ],
          tag: 'cut',
          clients: 8,
          timeoutMs: REQUEST_TIMEOUT_MS,
          observe: (r) => inspect(`POST ${r.path} (client ${r.client})`, r.outcome),
        });
        const stopReaders = startReaders(
          [
            {
              what: 'GET progress on A (admin token)',
              url: `${a.url}/api/petitions/${petitionId}/progress`,
              headers: { Authorization: `Bearer ${campaign.adminToken}` },
            },
            {
              what: 'GET progress on B (public)',
              url: `${b.url}/api/petitions/${petitionId}/progress`,
              headers: {},
            },
            {
              what: 'GET /api/auth/me on A (session cookie)',
              url: `${a.url}/api/auth/me`,
              headers: { Cookie: campaign.volunteerCookie },
            },
            {
              what: 'GET /api/auth/me on B (session cookie)',
              url: `${b.url}/api/auth/me`,
              headers: { Cookie: campaign.volunteerCookie },
            },
          ],
          inspect,
        );
        closers.push(stopReaders);
        load.start();
        await load.waitForAcknowledged(400, 90_000);

        const terminated: number[] = [];
        for (let k = 0; k < KILLS; k++) {
          terminated.push(await db.terminateBackends());
          await sleep(1_000);
        }
        const alive = { A: a.running, B: b.running };
        const died = { A: [...a.unexpectedExits], B: [...b.unexpectedExits] };

        // Each process recovers by itself: its own clients' intake succeeds again, without a restart.
        const killsEndedAt = performance.now();
        const takenAfterKills = (side: 0 | 1) =>
          load.records.filter(
            (r) =>
              r.client % 2 === side &&
              r.startedAt > killsEndedAt &&
              r.outcome.kind === 'answer' &&
              r.outcome.status < 300,
          ).length;
        const recovered = await waitFor(
          'intake on both processes after the kills',
          () =>
            takenAfterKills(0) >= RECOVERED_AFTER && takenAfterKills(1) >= RECOVERED_AFTER ? true : undefined,
          30_000,
        ).catch(() => false);
        const recovery = { A: takenAfterKills(0), B: takenAfterKills(1) };
        await revive(a);
        await revive(b);
        const figures = await load.stop(60_000);
        await stopReaders();

        // A new signer through A; B's stream must show it.
        const key = randomUUID();
        const signer = {
          firstName: 'After',
          lastName: 'TheOutage',
          addressLine1: '1 Recovery Rd',
          city: 'Oakland',
          zip: '94601',
          countyFips: '06001',
        };
        load.track(key, signer);
        const eventsBefore = stream.events.length;
        const postedAt = performance.now();
        const fresh = await call(a.url, `/api/petitions/${petitionId}/signatures`, {
          token: campaign.volunteerToken,
          headers: { 'Idempotency-Key': key },
          body: signer,
        });
        if (fresh.status === 201) load.acknowledge(key, (fresh.json as { id: string }).id);
        const progress = await readProgress(a.url, petitionId, campaign.adminToken);
        const seen = await stream
          .waitForEvent(
            `a progress event on B with raw ≥ ${progress.totals.raw}`,
            (e) =>
              e.event === 'progress' && (JSON.parse(e.data) as Progress).totals.raw >= progress.totals.raw,
            15_000,
            eventsBefore,
          )
          .then((e) => Math.round(e.at - postedAt))
          .catch(() => undefined);
        const streamConnections = stream.connections;
        const streamEnds = [...stream.ends];
        await stream.close();

        const stopped = { A: await a.terminate(), B: await b.terminate() };
        const exactness = await checkExactness(db, petitionId, load, progress);
        report('database-kill', figures, KILLS, exactness, {
          terminatedBackends: terminated,
          died,
          recovered,
          takenAfterKills: recovery,
          breaches: breaches.length,
          timeouts,
          readsAndWrites: answers,
          sample503: sample503 ?? null,
          streamConnections,
          streamEnds,
          streamDeliveredMs: seen ?? null,
          serverErrors: { A: a.errorLog, B: b.errorLog },
        });
        if (breaches.length) console.log(`[faults] first contract breaches:\n${summarize(breaches)}`);

        // Everything observed, compared with the contract in one go, so that a failure shows all of it.
        expect({
          killsReachedBackends: terminated.every((n) => n > 0),
          died,
          alive,
          recoveredWithoutRestart: recovered,
          contractBreaches: summarize(breaches),
          timeouts,
          newSignerThroughA: fresh.status,
          streamOnBShowsIt: seen !== undefined,
          stopped,
          exactness: problems(exactness),
          rejected: [...load.rejected.values()].slice(0, 5),
          unacknowledged: figures.unacknowledged,
          receiptMismatches: figures.receiptMismatches,
        }).toEqual({
          killsReachedBackends: true,
          died: { A: [], B: [] },
          alive: { A: true, B: true },
          recoveredWithoutRestart: true,
          contractBreaches: '',
          timeouts: 0,
          newSignerThroughA: 201,
          streamOnBShowsIt: true,
          stopped: { A: { code: 0, signal: null }, B: { code: 0, signal: null } },
          exactness: NO_PROBLEMS,
          rejected: [],
          unacknowledged: 0,
          receiptMismatches: 0,
        });
        expect(exactness.stored).toBe(load.acknowledged.size);
        expect(progress.totals.raw).toBe(exactness.stored);
      } catch (err) {
        if (err instanceof Error) {
          err.message += `\n\n--- server output ---\n${a.output().slice(-8_000)}\n${b.output().slice(-8_000)}`;
        }
        throw err;
      }
    },
  );
});

/** Each kind of breach once, with how often it happened. */
function summarize(breaches: Breach[]): string {
  const kinds = new Map<string, number>();
  for (const { what, breach } of breaches) {
    const kind = `${what.replace(/ \(client \d+\)/, '')}: ${breach}`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return [...kinds]
    .slice(0, 12)
    .map(([kind, n]) => `${n}× ${kind}`)
    .join('\n');
}
