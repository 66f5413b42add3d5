import { rmSync } from 'node:fs';
import { loadConfig } from '../../server/config';
import { prepareDatabase } from '../../server/server';
import { templateDir } from './env';

/** Migrates once: the real server named by DATABASE_URL, or a template embedded database to copy. */
export default async function globalSetup(): Promise<void> {
  if (!process.env.DATABASE_URL) rmSync(templateDir(), { recursive: true, force: true });
  const db = await prepareDatabase(
    loadConfig({ NODE_ENV: 'test', DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: templateDir() }),
  );
  await db.close();
}
