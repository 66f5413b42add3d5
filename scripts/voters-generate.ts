/*
 * npm run voters:generate -- --rows N --state CA [--out FILE] [--seed S]
 * Writes a synthetic voter file (CSV with a header) for demos, tests and benchmarks.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { loadCountyDataset } from '../server/counties/dataset';
import { countyPicker, seededRandom, voterGenerator } from '../server/demo/synthetic';
import { VOTER_COLUMNS } from '../server/verification/voter-row';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      state: { type: 'string', default: 'CA' },
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
    },
  });
  const rows = Number(values.rows);
  const state = (values.state ?? 'CA').toUpperCase();
  const counties = loadCountyDataset().filter((c) => c.state === state);
  if (!Number.isInteger(rows) || rows < 1 || !counties.length) {
    console.error('usage: npm run voters:generate -- --rows N --state CA [--out FILE] [--seed S]');
    process.exit(2);
  }
  const out = values.out ? createWriteStream(values.out) : process.stdout;
  const next = voterGenerator(seededRandom(Number(values.seed)), countyPicker(counties, state), state);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`${VOTER_COLUMNS.join(',')}\n`);
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const v = next();
    chunk += `${v.voterId},${v.firstName},${v.middleName},${v.lastName},${v.houseNumber},${v.street},${v.unit},${v.city},${v.zip},${v.countyFips},${v.dateOfBirth},${v.status}\n`;
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  if (out !== process.stdout) {
    out.end();
    await once(out, 'finish');
    console.error(`Wrote ${rows} voters of ${state} to ${values.out}.`);
  }
}

void main();
