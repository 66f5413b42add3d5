/*
 * npm run recount [-- --fix]
 * Recomputes every tally from the signers and reports drift; exits 1 when there is any (after fixing it
 * with --fix, exits 0).
 */
import { loadConfig } from '../server/config';
import { prepareDatabase } from '../server/server';
import { recount } from '../server/tallies/recount';

async function main(): Promise<void> {
  const fix = process.argv.includes('--fix');
  const db = await prepareDatabase(loadConfig());
  try {
    const started = Date.now();
    const report = await recount(db.knex, { fix });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`Recounted ${report.signers} signers in ${report.petitions} petitions in ${seconds} s.`);
    if (!report.drift.length) {
      console.log('No drift: every tally equals the recount.');
      return;
    }
    console.log(`DRIFT in ${report.drift.length} tallies:`);
    for (const d of report.drift.slice(0, 50)) {
      console.log(`  petition ${d.petitionId} ${d.what}: recount ${d.expected}, kept ${d.kept}`);
    }
    if (report.drift.length > 50) console.log(`  … and ${report.drift.length - 50} more`);
    if (report.fixed) console.log('Fixed: tallies rebuilt from the signers.');
    else process.exitCode = 1;
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(`recount failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
});
