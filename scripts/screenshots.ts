/*
 * npm run screenshots
 *
 * Pictures of the dashboard and the volunteer form at desktop width and at 360 px, and of the home
 * page, the dashboard, the volunteer form and the organizer page on a 390 × 844 phone, on the demo
 * petition, written to docs/screenshots/ for the README.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEMO_SLUG, openDemo, type DemoSession } from './browser/demo';

const OUT = path.join(__dirname, '..', 'docs', 'screenshots');

interface Size {
  name: string;
  width: number;
  height: number;
  signer: [string, string];
  /** The home and organizer pages too, not only the dashboard and the volunteer form. */
  everyPage: boolean;
}

const SIZES: Size[] = [
  { name: 'desktop', width: 1280, height: 900, signer: ['Maribel', 'Quintanilla'], everyPage: false },
  { name: '360', width: 360, height: 780, signer: ['Tomas', 'Okafor'], everyPage: false },
  { name: '390', width: 390, height: 844, signer: ['Ines', 'Halvorsen'], everyPage: true },
];

type Login = DemoSession['logins'][string];

function loginOf(demo: DemoSession, role: string): Login {
  const login = demo.logins[role];
  if (!login) throw new Error(`the demo has no ${role} login`);
  return login;
}

async function main() {
  const demo = await openDemo();
  try {
    for (const size of SIZES) await shootSize(demo, size);
  } finally {
    await demo.close();
  }
}

async function shootSize(demo: DemoSession, size: Size) {
  const page = await newPage(demo.browser, demo.url, size);
  if (size.everyPage) {
    await page.goto('/');
    await page.locator('.petition-card .mini-bar').first().waitFor();
    await shoot(page, `home-${size.name}.png`, false);
  }
  await page.goto(`/p/${DEMO_SLUG}`);
  await page.locator('.county-map path').first().waitFor();
  await page.locator('.trend canvas').waitFor();
  await shoot(page, `dashboard-${size.name}.png`, size.name === 'desktop');

  await signIn(page, '/collect', loginOf(demo, 'volunteer'));
  await page.getByLabel('First name').fill(size.signer[0]);
  await page.getByLabel('Last name').fill(size.signer[1]);
  await page.getByLabel('Street address').fill('1450 Broadway');
  await page.getByLabel('City').fill('Oakland');
  await page.getByLabel('ZIP').fill('94612');
  await page.getByLabel('County').fill('Alameda');
  await page.getByRole('button', { name: 'Record signer' }).click();
  await page.getByText(`Recorded: ${size.signer.join(' ')}.`).waitFor();
  await page.getByLabel('First name').fill('Kevin');
  await shoot(page, `collect-${size.name}.png`, false);
  await page.context().close();

  if (size.everyPage) {
    const desk = await newPage(demo.browser, demo.url, size);
    await signIn(desk, `/organize/${DEMO_SLUG}`, loginOf(demo, 'organizer'));
    await desk.getByRole('heading', { name: /^Members \(\d+\)$/ }).waitFor();
    await shoot(desk, `organize-${size.name}.png`, true);
    await desk.context().close();
  }
}

async function newPage(browser: Browser, baseURL: string, size: Size): Promise<Page> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: size.width, height: size.height },
    deviceScaleFactor: 1,
  });
  return context.newPage();
}

async function signIn(page: Page, where: string, login: Login) {
  await page.goto(where);
  await page.getByLabel('Email').fill(login.email);
  await page.getByLabel('Password').fill(login.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function shoot(page: Page, file: string, fullPage: boolean) {
  await page.screenshot({ path: path.join(OUT, file), fullPage });
  console.log(`wrote docs/screenshots/${file}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
