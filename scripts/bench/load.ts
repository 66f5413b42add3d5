import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { countyPicker, seededRandom, syntheticSigner } from '../../server/demo/synthetic';
import { matchKey } from '../../server/signatures/normalize';
import type { County } from './api';

const CHUNK = 50_000;
const DAY_MS = 86_400_000;

/** One array per column, in the order of COLUMNS: the rows of one INSERT … SELECT FROM unnest(…). */
const COLUMNS = [
  ['id', 'uuid'],
  ['idempotency_key', 'uuid'],
  ['first_name', 'text'],
  ['last_name', 'text'],
  ['address_line1', 'text'],
  ['city', 'text'],
  ['zip', 'text'],
  ['county_fips', 'text'],
  ['signed_at', 'timestamptz'],
  ['status', 'text'],
  ['reason', 'text'],
  ['duplicate_of', 'uuid'],
  ['match_key', 'text'],
] as const;
type Column = (typeof COLUMNS)[number][0];
type Chunk = Record<Column, (string | null)[]>;

const INSERT = `
  insert into signatures (petition_id, circulator_id, request_hash, ${COLUMNS.map(([c]) => c).join(', ')})
  select ?::uuid, ?::uuid, 'bench-load', *
    from unnest(${COLUMNS.map(([, type]) => `?::${type}[]`).join(', ')})`;

/**
 * Makes `count` signers, starting at row number `from`: counties in proportion to population, signed
 * over the last `days` days; about 40% pending, the rest valid or invalid 75/25, and about 2% repeat
 * signers stored as duplicates of an earlier row of the same chunk.
 */
function makeChunk(rng: () => number, counties: County[], from: number, count: number, days: number): Chunk {
  const pickCounty = countyPicker(counties, 'CA');
  const chunk = Object.fromEntries(COLUMNS.map(([c]) => [c, []])) as unknown as Chunk;
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const add = (row: Record<Column, string | null>) => COLUMNS.forEach(([c]) => chunk[c].push(row[c]));
    const signedAt = new Date(now - Math.floor(rng() * days * DAY_MS)).toISOString();
    const r = rng();
    const earlier = Math.floor(rng() * i);
    if (r < 0.02 && i > 0 && chunk.duplicate_of[earlier] === null) {
      const original = Object.fromEntries(COLUMNS.map(([c]) => [c, chunk[c][earlier] ?? null]));
      add({
        ...(original as Record<Column, string | null>),
        id: randomUUID(),
        idempotency_key: randomUUID(),
        signed_at: signedAt,
        status: 'duplicate',
        reason: null,
        duplicate_of: original.id as string,
      });
      continue;
    }
    const signer = syntheticSigner(rng, pickCounty(rng));
    const status = r < 0.42 ? 'pending' : rng() < 0.75 ? 'valid' : 'invalid';
    add({
      id: randomUUID(),
      idempotency_key: randomUUID(),
      first_name: signer.firstName,
      last_name: signer.lastName,
      address_line1: signer.addressLine1,
      city: signer.city,
      zip: signer.zip,
      county_fips: signer.countyFips,
      signed_at: signedAt,
      status,
      reason: status === 'invalid' ? 'not_registered' : null,
      duplicate_of: null,
      // The row number keeps loaded people distinct from each other and from those sent during the runs.
      match_key: `${matchKey(signer)}|load-${from + i}`,
    });
  }
  return chunk;
}

/**
 * Inserts `total` signers straight into the signatures table in statements of 50,000 rows (the
 * statement-level tally triggers run as for any insert), making the next chunk while the database
 * stores the previous one. Returns the seconds it took.
 */
export async function loadSigners(
  knex: Knex,
  petition: { id: string; counties: County[] },
  circulatorId: string,
  total: number,
  days: number,
  onProgress: (done: number) => void,
): Promise<number> {
  const started = performance.now();
  const rng = seededRandom(20261121);
  let storing: Promise<unknown> = Promise.resolve();
  for (let from = 0; from < total; from += CHUNK) {
    const count = Math.min(CHUNK, total - from);
    const chunk = makeChunk(rng, petition.counties, from, count, days);
    await storing;
    // pg sends each JS array as one PostgreSQL array parameter (nulls included).
    const arrays = COLUMNS.map(([c]) => chunk[c] as string[]);
    storing = knex.raw(INSERT, [petition.id, circulatorId, ...arrays]).then(() => onProgress(from + count));
  }
  await storing;
  return (performance.now() - started) / 1000;
}
