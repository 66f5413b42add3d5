import { existsSync } from 'node:fs';
import axe from 'axe-core';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/browser/chromium';
import { loadConfig } from '../../server/config';
import type { AppContext } from '../../server/context';
import { startServer, type Running } from '../../server/server';
import { CLIENT_DIST } from '../../server/web/client';
import { freshDataDir, removeDataDir } from '../support/app';
import type { TestUser } from '../support/factories';

export interface E2E {
  url: string;
  ctx: AppContext;
  browser: Browser;
  /** A new browser profile (cookies, IndexedDB) on the app. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
}

/** The whole server on a free port (the database of DATABASE_URL, else a fresh embedded one) and Chromium. */
export function useBrowserApp(): () => E2E {
  let running: Running;
  let browser: Browser;
  let dataDir: string;
  let e2e: E2E;
  beforeAll(async () => {
    if (!existsSync(`${CLIENT_DIST}/dashboard.html`))
      throw new Error('Build the client first: npm run build:client');
    dataDir = freshDataDir();
    running = await startServer(
      loadConfig({
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: process.env.DATABASE_URL,
        DATA_DIR: dataDir,
        DEMO: '0',
        LOG_LEVEL: 'silent',
      }),
    );
    browser = await launchChromium();
    const url = running.url.replace('localhost', '127.0.0.1');
    e2e = {
      url,
      ctx: running.ctx,
      browser,
      newContext: (options) => browser.newContext({ baseURL: url, ...options }),
    };
  });
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    if (dataDir) removeDataDir(dataDir);
  });
  return () => e2e;
}

export async function signIn(page: Page, user: TestUser, path = '/collect'): Promise<void> {
  await page.goto(path);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs a volunteer in to the volunteer app and waits until the form and the device's outbox are ready. */
export async function openCollect(page: Page, user: TestUser): Promise<void> {
  await signIn(page, user, '/collect');
  await page.getByLabel('First name').waitFor();
  await page.getByText(/waiting to send|Everything is sent/).waitFor();
}

export interface TypedSigner {
  firstName: string;
  lastName: string;
  street: string;
  city: string;
  zip: string;
  county: string;
}

export async function recordSigner(page: Page, s: TypedSigner): Promise<void> {
  await page.getByLabel('First name').fill(s.firstName);
  await page.getByLabel('Last name').fill(s.lastName);
  await page.getByLabel('Street address').fill(s.street);
  await page.getByLabel('City').fill(s.city);
  await page.getByLabel('ZIP').fill(s.zip);
  await page.getByLabel('County').fill(s.county);
  await page.getByRole('button', { name: 'Record signer' }).click();
}

export const person = (firstName: string, lastName = 'Rivera'): TypedSigner => ({
  firstName,
  lastName,
  street: `${firstName.length * 7} Lake Street`,
  city: 'Oakland',
  zip: '94612',
  county: 'Alameda',
});

/** Rows stored for a petition under a signer's first name. */
export async function storedRows(ctx: AppContext, petitionId: string, firstName: string): Promise<number> {
  const [row] = await ctx
    .knex('signatures')
    .where({ petition_id: petitionId, first_name: firstName })
    .count('* as n');
  return Number(row?.n ?? 0);
}

/** axe-core's serious and critical findings on the page as it is now (WCAG 2.x A and AA rules). */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: typeof axe }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    }),
  )) as axe.AxeResults;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
