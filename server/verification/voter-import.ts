import { randomBytes } from 'node:crypto';
import { Transform, type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { Knex } from 'knex';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { countiesOfState } from '../counties/sync';
import type { Database } from '../db';
import {
  copyLine,
  mapHeader,
  parseVoter,
  VOTER_TABLE_COLUMNS,
  type VoterColumn,
  type VoterRow,
} from './voter-row';

export interface ImportProgress {
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  bytesRead: number;
}

export interface ImportOptions {
  state: string;
  input: Readable;
  columnMap?: Record<string, string>;
  actorId?: string;
  onProgress?: (p: ImportProgress) => void;
}

const MAX_REJECTS = 100;
const CHUNK_ROWS = 2_000;
const PROGRESS_EVERY_MS = 1_000;

export class VoterFileError extends Error {}

/** Creates the import record, so that callers can answer with its id before the file is read. */
export async function beginImport(knex: Knex, state: string, actorId?: string): Promise<string> {
  if (!(await countiesOfState(knex, state)).length) throw new VoterFileError(`unknown state ${state}`);
  const [row] = await knex('voter_imports')
    .insert({ state, created_by: actorId ?? null })
    .returning('id');
  return row.id as string;
}

/**
 * Streams a voter file into a new table for the state (COPY on PostgreSQL, short batches of inserts on
 * the embedded database), indexes it, then swaps it in for the state's voters in one transaction. Bad
 * rows are counted and kept with their line numbers; they never stop the import. Memory stays flat:
 * rows flow through with back-pressure, whatever the file's size.
 */
export async function runImport(
  db: Database,
  importId: string,
  opts: ImportOptions,
): Promise<ImportProgress> {
  const { knex } = db;
  const state = opts.state;
  const counties = new Set((await countiesOfState(knex, state)).map((c) => c.fips));
  if (!/^[A-Z]{2}$/.test(state) || !counties.size) throw new VoterFileError(`unknown state ${state}`);
  const stage = `voters_stage_${randomBytes(6).toString('hex')}`;
  const progress: ImportProgress = { rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, bytesRead: 0 };
  const rejects: { line: number; reason: string }[] = [];
  const counts = () => ({
    rows_read: progress.rowsRead,
    rows_loaded: progress.rowsLoaded,
    rows_rejected: progress.rowsRejected,
    rejects: JSON.stringify(rejects),
  });
  const report = async () => {
    opts.onProgress?.(progress);
    await knex('voter_imports').where({ id: importId }).update(counts());
  };
  const reject = (line: number, reason: string) => {
    progress.rowsRejected++;
    if (rejects.length < MAX_REJECTS) rejects.push({ line, reason });
  };

  try {
    await knex.raw(`create table ${stage} (like voters)`);
    opts.input.on('data', (chunk: Buffer) => (progress.bytesRead += chunk.length));

    let columns: (VoterColumn | null)[] | undefined;
    // Line numbers are counted by record (csv-parse's own `info` costs as much again as the parsing).
    const parser = parse({ relax_column_count: true, skip_empty_lines: true, bom: true });
    let line = 0;
    // Rows move on in batches: per-row stream hand-offs would cost more than the rows' own work.
    let batch: VoterRow[] = [];
    const toRows = new Transform({
      objectMode: true,
      readableHighWaterMark: 2,
      flush(done) {
        if (batch.length) this.push(batch);
        done();
      },
      transform(record: string[], _enc, done) {
        line++;
        if (!columns) {
          const header = mapHeader(record, opts.columnMap);
          if (header.missing.length)
            return done(new VoterFileError(`the header lacks ${header.missing.join(', ')}`));
          columns = header.columns;
          return done();
        }
        progress.rowsRead++;
        if (record.length !== columns.length) {
          reject(line, `has ${record.length} fields, the header ${columns.length}`);
          return done();
        }
        const fields: Partial<Record<VoterColumn, string>> = {};
        columns.forEach((c, i) => {
          if (c) fields[c] = record[i];
        });
        const parsed = parseVoter(state, fields, counties);
        if ('reason' in parsed) reject(line, parsed.reason);
        else batch.push(parsed.row);
        if (batch.length >= CHUNK_ROWS) {
          this.push(batch);
          batch = [];
        }
        done();
      },
    });
    const sink = db.url ? copySink(db.url, stage, progress) : insertSink(knex, stage, progress);
    const ticker = setInterval(() => void report().catch(() => undefined), PROGRESS_EVERY_MS);
    try {
      await pipeline(opts.input, parser, toRows, sink);
    } finally {
      clearInterval(ticker);
    }
    if (!columns) throw new VoterFileError('the file is empty');
    await swapIn(knex, state, stage);
    opts.onProgress?.(progress);
    await knex('voter_imports')
      .where({ id: importId })
      .update({ ...counts(), status: 'done', finished_at: knex.fn.now() });
    return progress;
  } catch (err) {
    await knex.raw(`drop table if exists ${stage}`).catch(() => undefined);
    await knex('voter_imports')
      .where({ id: importId })
      .update({ ...counts(), status: 'failed', error: describeFailure(err), finished_at: knex.fn.now() })
      .catch(() => undefined);
    throw err;
  }
}

/** What went wrong, in words fit for the import's status (never SQL or a driver message). */
function describeFailure(err: unknown): string {
  if (err instanceof VoterFileError) return err.message;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('CSV_'))
    return `the file is not valid CSV: ${(err as Error).message}`;
  return 'the import failed; see the server log';
}

/** COPY FROM STDIN on a connection of its own, fed with back-pressure. */
function copySink(url: string, table: string, progress: ImportProgress): Writable {
  const client = new pg.Client({ connectionString: url });
  let copy: Writable | undefined;
  const ready = client.connect().then(() => {
    copy = client.query(copyFrom(`copy ${table} (${VOTER_TABLE_COLUMNS.join(', ')}) from stdin`));
    return copy;
  });
  let batch = '';
  const flush = async () => {
    const stream = await ready;
    const text = batch;
    batch = '';
    if (text && !stream.write(text)) await new Promise((resolve) => stream.once('drain', resolve));
  };
  const sink = new Writable({
    objectMode: true,
    highWaterMark: 4,
    write(rows: VoterRow[], _enc, done) {
      for (const row of rows) batch += copyLine(row);
      progress.rowsLoaded += rows.length;
      if (batch.length < 256 * 1024) return done();
      flush().then(() => done(), done);
    },
    final(done) {
      flush()
        .then(async () => {
          const stream = await ready;
          await new Promise<void>((resolve, reject) => {
            stream.once('finish', resolve);
            stream.once('error', reject);
            stream.end();
          });
        })
        .then(() => client.end())
        .then(() => done(), done);
    },
    destroy(err, done) {
      client.end().finally(() => done(err));
    },
  });
  // A connection lost mid-file fails the import (and is reported on it), never the process.
  client.on('error', (err) => sink.destroy(err));
  ready.catch((err: Error) => sink.destroy(err));
  return sink;
}

/** Batches of inserts, each a short statement, so the single embedded connection stays responsive. */
function insertSink(knex: Knex, table: string, progress: ImportProgress): Writable {
  let rows: VoterRow[] = [];
  const flush = async () => {
    const batch = rows;
    rows = [];
    if (!batch.length) return;
    await knex(table).insert(
      batch.map((r) => Object.fromEntries(VOTER_TABLE_COLUMNS.map((c, i) => [c, r[i]]))),
    );
    progress.rowsLoaded += batch.length;
    await new Promise((resolve) => setImmediate(resolve));
  };
  return new Writable({
    objectMode: true,
    highWaterMark: 2,
    write(batch: VoterRow[], _enc, done) {
      rows = rows.concat(batch);
      if (rows.length < CHUNK_ROWS) return done();
      flush().then(() => done(), done);
    },
    final(done) {
      flush().then(() => done(), done);
    },
  });
}

/** Indexes the new table like the live one, then swaps it in for the state in one transaction. */
async function swapIn(knex: Knex, state: string, stage: string): Promise<void> {
  const live = `voters_${state.toLowerCase()}`;
  await knex.transaction(async (trx) => {
    // Building on millions of rows sorts in memory with this (the default spills to disk).
    await trx.raw("set local maintenance_work_mem = '256MB'");
    for (const key of ['match_key', 'address_key', 'name_zip_key']) {
      await trx.raw(`create index on ${stage} (state, ${key})`);
    }
  });
  await knex.raw(`alter table ${stage} add constraint ${stage}_state check (state = '${state}')`);
  await knex.raw(`analyze ${stage}`);
  await knex.transaction(async (trx) => {
    const { rows } = await trx.raw<{ rows: unknown[] }>('select 1 from pg_class where relname = ?', [live]);
    if (rows.length) {
      await trx.raw(`alter table voters detach partition ${live}`);
      await trx.raw(`drop table ${live}`);
    }
    await trx.raw(`alter table ${stage} rename to ${live}`);
    await trx.raw(`alter table voters attach partition ${live} for values in ('${state}')`);
  });
}
