import { execFileSync } from 'node:child_process';
import { checkExactness, NO_PROBLEMS, problems, report } from './support/checks';
import { readProgress, setUpCampaign } from './support/http';
import { LoadGenerator, stopAllLoads } from './support/load';
import { freshFaultDatabase, ServerProcess, type FaultDatabase } from './support/server';
import { usingPostgres } from '../support/app';

/*
 * WEB_CONCURRENCY=2: two server processes on one port behind their primary, sharing one database (the
 * embedded database serves one process, so this needs PostgreSQL).
 */
let db: FaultDatabase | undefined;
let server: ServerProcess | undefined;

afterEach(async () => {
  await stopAllLoads();
  await server?.dispose();
  await db?.dispose();
});

/** The processes whose parent is `pid` (ps exits 1 when there are none). */
function workersOf(pid: number): number {
  try {
    const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
    return out.split('\n').filter((l) => l.trim()).length;
  } catch (err) {
    if ((err as { status?: number }).status === 1) return 0;
    throw err;
  }
}

(usingPostgres ? it : it.skip)(
  'when two workers share the port, then both listen, every acknowledged signer is stored once, and SIGTERM stops them all',
  async () => {
    db = await freshFaultDatabase();
    server = await ServerProcess.start('workers', db, { WEB_CONCURRENCY: '2' });
    const s = server;
    const primary = s.pid as number;
    expect(workersOf(primary)).toBe(2);
    // Each worker has its own pool and its own LISTEN connection (the second may still be starting).
    const direct = await db.open();
    let listeners = 0;
    for (let i = 0; i < 100 && listeners < 2; i++) {
      const { rows } = await direct.knex.raw<{ rows: { n: number }[] }>(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike 'LISTEN %'",
      );
      listeners = rows[0]?.n ?? 0;
      if (listeners < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await direct.close();
    expect(listeners).toBe(2);
    const campaign = await setUpCampaign(s.url);
    const load = new LoadGenerator({
      baseUrl: () => s.url,
      petitionId: campaign.petition.id,
      credentials: [{ token: campaign.volunteerToken }, { cookie: campaign.volunteerCookie }],
      tag: 'workers',
      clients: 8,
    });
    load.start();
    await load.waitForAcknowledged(800, 90_000);
    const figures = await load.stop(60_000);
    const progress = await readProgress(s.url, campaign.petition.id, campaign.adminToken);
    const exit = await s.terminate();
    const exactness = await checkExactness(db, campaign.petition.id, load, progress);
    report('workers', figures, 0, exactness);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(workersOf(primary)).toBe(0);
    expect(figures.errors).toEqual({});
    expect(problems(exactness)).toEqual(NO_PROBLEMS);
    expect(progress.totals.raw).toBe(exactness.stored);
  },
);
