import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import pg from 'pg';
import pino from 'pino';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { closeContext, createContext, type AppContext } from '../../server/context';
import { prepareDatabase } from '../../server/server';
import { templateDir } from './env';

export interface TestApp {
  app: Express;
  ctx: AppContext;
  dataDir: string;
  close(): Promise<void>;
}

export const usingPostgres = Boolean(process.env.DATABASE_URL);

/** A fresh copy of the migrated embedded database, or the shared real server. */
export function freshDataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'petition-test-'));
  if (!usingPostgres)
    cpSync(path.join(templateDir(), 'pglite'), path.join(dir, 'pglite'), { recursive: true });
  return dir;
}

/** The app on a real database (no listening socket), as the tests drive it through supertest. */
export async function openTestApp(
  dataDir = freshDataDir(),
  env: Record<string, string> = {},
): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: process.env.DATABASE_URL,
    ...env,
    DATA_DIR: dataDir,
    DB_POOL_MAX: '10',
    DEMO: '0',
    LOG_LEVEL: 'silent',
  });
  const db = await prepareDatabase(config);
  const ctx = await createContext(config, db, pino({ level: 'silent' }));
  return {
    app: createApp(ctx),
    ctx,
    dataDir,
    close: async () => {
      await closeContext(ctx);
      await db.close();
    },
  };
}

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * An app on a database of its own, for a test that breaks its database on purpose: a throwaway
 * database on the real server (dropped on close), or a fresh embedded copy.
 */
export async function openIsolatedTestApp(): Promise<TestApp> {
  if (!usingPostgres) return openTestApp();
  const name = `isolated_${process.pid}_${Date.now().toString(36)}`;
  await onServer(`create database ${name}`);
  const url = new URL(process.env.DATABASE_URL as string);
  url.pathname = `/${name}`;
  const t = await openTestApp(undefined, { DATABASE_URL: url.toString() });
  return {
    ...t,
    close: async () => {
      await t.close();
      await onServer(`drop database if exists ${name} with (force)`);
    },
  };
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Opens one app for the test file (before all its tests) and closes it after them. */
export function useTestApp(env: Record<string, string> = {}): () => TestApp {
  let t: TestApp | undefined;
  beforeAll(async () => {
    t = await openTestApp(undefined, env);
  });
  afterAll(async () => {
    await t?.close();
    if (t) removeDataDir(t.dataDir);
  });
  return () => {
    if (!t) throw new Error('the test app is not open yet');
    return t;
  };
}
