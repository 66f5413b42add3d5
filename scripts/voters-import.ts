/*
 * npm run voters:import -- --state CA FILE [--map "Their Header=first_name,..."]
 * Streams a voter file in and swaps it in for the state's voters, with progress on the terminal.
 */
import { createReadStream, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { loadConfig } from '../server/config';
import { prepareDatabase } from '../server/server';
import { beginImport, runImport } from '../server/verification/voter-import';
import { parseColumnMap } from '../server/verification/voter-row';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { state: { type: 'string' }, map: { type: 'string' } },
  });
  const file = positionals[0];
  const state = values.state?.toUpperCase();
  if (!file || !state) {
    console.error('usage: npm run voters:import -- --state CA FILE [--map "Header=column,..."]');
    process.exit(2);
  }
  const columnMap = parseColumnMap(values.map);
  if (!columnMap) {
    console.error('--map wants "Their Header=voter_column" pairs separated by commas');
    process.exit(2);
  }
  const size = statSync(file).size;
  const db = await prepareDatabase(loadConfig());
  const bar = new SingleBar({
    format:
      'voters |{bar}| {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted} | {rejected} rejected',
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 5_000,
  });
  const started = Date.now();
  try {
    const importId = await beginImport(db.knex, state);
    bar.start(size, 0, { rows: 0, rate: 0, rejected: 0 });
    const result = await runImport(db, importId, {
      state,
      input: createReadStream(file, { highWaterMark: 1 << 20 }),
      columnMap,
      onProgress: (p) =>
        bar.update(p.bytesRead, {
          rows: p.rowsRead,
          rate: Math.round(p.rowsRead / Math.max(0.001, (Date.now() - started) / 1000)),
          rejected: p.rowsRejected,
        }),
    });
    bar.update(size);
    bar.stop();
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `Imported ${result.rowsLoaded} voters of ${state} in ${seconds.toFixed(1)} s ` +
        `(${Math.round(result.rowsRead / seconds)} rows/s); ${result.rowsRejected} rows rejected; ` +
        `peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB. Import ${importId}.`,
    );
    if (result.rowsRejected) {
      const row = await db.knex('voter_imports').where({ id: importId }).first('rejects');
      for (const r of (row?.rejects ?? []).slice(0, 20)) console.log(`  line ${r.line}: ${r.reason}`);
    }
  } finally {
    bar.stop();
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(`\nimport failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
