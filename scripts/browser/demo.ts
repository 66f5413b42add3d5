import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { loadConfig } from '../../server/config';
import { startServer, type Running } from '../../server/server';
import { launchChromium } from './chromium';

export const DEMO_SLUG = 'california-independence';

export interface DemoSession {
  url: string;
  browser: Browser;
  logins: Record<string, { email: string; password: string }>;
  close(): Promise<void>;
}

/**
 * The app as `npm start` runs it (embedded database, demo data) in a temporary data directory, and
 * Debian's Chromium. The client must be built (npm run build:client).
 */
export async function openDemo(): Promise<DemoSession> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'petition-demo-'));
  const running: Running = await startServer(
    loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO: '1', LOG_LEVEL: 'warn' }),
  );
  const browser = await launchChromium();
  const logins = Object.fromEntries((running.demoLogins ?? []).map((l) => [l.role, l]));
  return {
    url: running.url.replace('localhost', '127.0.0.1'),
    browser,
    logins,
    close: async () => {
      await browser.close();
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
