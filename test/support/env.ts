import os from 'node:os';
import path from 'node:path';

/** Where the migrated embedded database that each test file copies lives (unused with DATABASE_URL). */
export const TEMPLATE_DIR = path.join(os.tmpdir(), `petition-test-template-${process.getuid?.() ?? 0}`);
