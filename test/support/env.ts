import os from 'node:os';
import path from 'node:path';

const VARIABLE = 'PETITION_TEST_TEMPLATE';

/**
 * Where the migrated embedded database that each test file copies lives (unused with DATABASE_URL):
 * one per run, named by the process that ran the global setup, so that runs side by side do not share
 * it. The setup's process hands the name to the test workers through the environment.
 */
export function templateDir(): string {
  process.env[VARIABLE] ??= path.join(os.tmpdir(), `petition-test-template-${process.pid}`);
  return process.env[VARIABLE];
}
