import { appendFileSync } from 'node:fs';
import { recount, type Drift } from '../../../server/tallies/recount';
import type { Progress } from './http';
import type { LoadFigures, LoadGenerator, Outcome } from './load';
import type { FaultDatabase } from './server';

export interface Exactness {
  /** Signature rows of the petition. */
  stored: number;
  /** Acknowledged keys with no row. */
  lost: number;
  /** Keys stored more than once (the unique index should make this impossible). */
  doubled: number;
  /** People stored more than once as an original (every signer of the load is a different person). */
  doubledSigners: number;
  /** Rows stored as duplicates: each load signer is a new person, so any is a retry counted twice. */
  duplicateRows: number;
  /** Acknowledged keys whose row is not the signature the acknowledgement named. */
  wrongReceipt: number;
  /** Rows whose key the load never sent. */
  unknownKeys: number;
  /** Keys the load sent and never had acknowledged that are nonetheless stored (fine: the answer was lost). */
  storedUnacknowledged: number;
  drift: Drift[];
  /** Where the progress document disagrees with the rows: empty when exact. */
  progressMismatches: string[];
}

interface Row {
  id: string;
  key: string;
  status: string;
  county: string;
  matchKey: string | null;
  duplicateOf: string | null;
}

/**
 * Reads the petition's signers straight from the database and compares them with what the load was
 * told (every acknowledged key stored once, under the signature it was acknowledged with), with what
 * the server's progress document said, and recounts every tally from the signers.
 */
export async function checkExactness(
  db: FaultDatabase,
  petitionId: string,
  load: LoadGenerator,
  progress: Progress,
): Promise<Exactness> {
  const database = await db.open();
  try {
    const knex = database.knex;
    const rows: Row[] = await knex('signatures')
      .where({ petition_id: petitionId })
      .select(
        'id',
        'idempotency_key as key',
        'status',
        'county_fips as county',
        'match_key as matchKey',
        'duplicate_of as duplicateOf',
      );
    const byKey = new Map<string, Row[]>();
    for (const row of rows) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row]);
    const originals = new Map<string, number>();
    for (const row of rows) {
      if (row.duplicateOf === null && row.matchKey !== null)
        originals.set(row.matchKey, (originals.get(row.matchKey) ?? 0) + 1);
    }
    let lost = 0;
    let wrongReceipt = 0;
    for (const [key, signatureId] of load.acknowledged) {
      const stored = byKey.get(key);
      if (!stored) lost++;
      else if (!stored.some((r) => r.id === signatureId)) wrongReceipt++;
    }
    const storedUnacknowledged = [...byKey.keys()].filter(
      (k) => load.sent.has(k) && !load.acknowledged.has(k),
    ).length;

    const mismatches: string[] = [];
    const count = (pick: (r: Row) => boolean) => rows.filter(pick).length;
    const compare = (what: string, shown: number | undefined, actual: number) => {
      if (shown !== actual) mismatches.push(`${what}: progress ${shown}, rows ${actual}`);
    };
    compare('totals.raw', progress.totals.raw, rows.length);
    for (const status of ['pending', 'valid', 'invalid', 'duplicate'] as const) {
      compare(
        `totals.${status}`,
        progress.totals[status],
        count((r) => r.status === status),
      );
    }
    for (const county of progress.counties) {
      compare(
        `county ${county.fips} raw`,
        county.raw,
        count((r) => r.county === county.fips),
      );
    }

    const report = await recount(knex);
    return {
      stored: rows.length,
      lost,
      doubled: [...byKey.values()].filter((r) => r.length > 1).length,
      doubledSigners: [...originals.values()].filter((n) => n > 1).length,
      duplicateRows: count((r) => r.status === 'duplicate'),
      wrongReceipt,
      unknownKeys: [...byKey.keys()].filter((k) => !load.sent.has(k)).length,
      storedUnacknowledged,
      drift: report.drift,
      progressMismatches: mismatches,
    };
  } finally {
    await database.close();
  }
}

/** The parts of an exactness check that must all be zero or empty. */
export function problems(e: Exactness) {
  return {
    lost: e.lost,
    doubled: e.doubled,
    doubledSigners: e.doubledSigners,
    duplicateRows: e.duplicateRows,
    wrongReceipt: e.wrongReceipt,
    unknownKeys: e.unknownKeys,
    drift: e.drift,
    progressMismatches: e.progressMismatches,
  };
}

export const NO_PROBLEMS = {
  lost: 0,
  doubled: 0,
  doubledSigners: 0,
  duplicateRows: 0,
  wrongReceipt: 0,
  unknownKeys: 0,
  drift: [],
  progressMismatches: [],
};

/** One JSON line per test into $FAULTS_REPORT (when set), and a one-line summary on the console. */
export function report(
  test: string,
  figures: LoadFigures,
  faults: number,
  exactness: Exactness | undefined,
  extra: Record<string, unknown> = {},
): void {
  const line = {
    test,
    database: process.env.DATABASE_URL ? 'postgres' : 'pglite',
    requests: figures.requests,
    faults,
    signersSent: figures.signersSent,
    acknowledged: figures.acknowledged,
    unacknowledged: figures.unacknowledged,
    rejected: figures.rejected,
    replays: figures.replays,
    stored: exactness?.stored ?? null,
    lost: exactness?.lost ?? null,
    doubled: exactness ? exactness.doubled + exactness.doubledSigners + exactness.duplicateRows : null,
    storedUnacknowledged: exactness?.storedUnacknowledged ?? null,
    drift: exactness?.drift.length ?? null,
    networkErrors: figures.networkErrors,
    timeouts: figures.timeouts,
    errors: figures.errors,
    byStatus: figures.byStatus,
    ...extra,
  };
  if (process.env.FAULTS_REPORT) appendFileSync(process.env.FAULTS_REPORT, `${JSON.stringify(line)}\n`);
  console.log(
    `[faults] ${test}: ${line.requests} requests, ${faults} faults, ${line.acknowledged} acknowledged ` +
      `(${line.replays} by a replay), ` +
      `${line.lost ?? '?'} lost, ${line.doubled ?? '?'} doubled, ${line.drift ?? '?'} drift, ` +
      `${line.networkErrors} network errors, ${line.timeouts} timeouts, 5xx ${JSON.stringify(line.errors)}` +
      (Object.keys(extra).length ? `, ${JSON.stringify(extra)}` : ''),
  );
}

/** A stack frame, SQL or a driver's words in an answer: what a client must never be shown. */
export const LEAK =
  /at .*\.ts|select |insert |update .* set |relation |syntax error|ECONNREFUSED|terminating connection/i;

/**
 * How an answer breaks the contract for a database outage, or undefined when it keeps it: an error may be
 * a 503 problem document with Retry-After, never another 5xx, and no error shows a stack or SQL.
 */
export function contractBreach(outcome: Outcome): string | undefined {
  if (outcome.kind !== 'answer' || outcome.status < 400) return undefined;
  const { status, contentType, retryAfter, body } = outcome;
  const shown = body.slice(0, 300);
  if (LEAK.test(body)) return `${status} shows internals: ${shown}`;
  if (status < 500) return undefined;
  if (status !== 503) return `${status} (not 503): ${shown}`;
  if (!contentType.startsWith('application/problem+json'))
    return `503 as ${contentType || 'no type'}: ${shown}`;
  if (!retryAfter) return `503 without Retry-After: ${shown}`;
  return undefined;
}
