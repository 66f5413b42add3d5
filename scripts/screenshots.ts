/*
 * npm run screenshots
 *
 * Pictures of the dashboard and the volunteer form, at desktop width and at 360 px, on the demo
 * petition, written to docs/screenshots/ for the README.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_SLUG, openDemo } from './browser/demo';

const OUT = path.join(__dirname, '..', 'docs', 'screenshots');
const SIZES = [
  { name: 'desktop', width: 1280, height: 900, signer: ['Maribel', 'Quintanilla'] },
  { name: '360', width: 360, height: 780, signer: ['Tomas', 'Okafor'] },
];

async function main() {
  const demo = await openDemo();
  try {
    const volunteer = demo.logins.volunteer;
    if (!volunteer) throw new Error('the demo has no volunteer login');
    for (const size of SIZES) {
      const context = await demo.browser.newContext({
        baseURL: demo.url,
        viewport: { width: size.width, height: size.height },
        deviceScaleFactor: 1,
      });
      const page = await context.newPage();
      await page.goto(`/p/${DEMO_SLUG}`);
      await page.locator('.county-map path').first().waitFor();
      await page.locator('.trend canvas').waitFor();
      await shoot(page, `dashboard-${size.name}.png`, size.name === 'desktop');

      await page.goto('/collect');
      await page.getByLabel('Email').fill(volunteer.email);
      await page.getByLabel('Password').fill(volunteer.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByLabel('First name').fill(size.signer[0] as string);
      await page.getByLabel('Last name').fill(size.signer[1] as string);
      await page.getByLabel('Street address').fill('1450 Broadway');
      await page.getByLabel('City').fill('Oakland');
      await page.getByLabel('ZIP').fill('94612');
      await page.getByLabel('County').fill('Alameda');
      await page.getByRole('button', { name: 'Record signer' }).click();
      await page.getByText(`Recorded: ${size.signer.join(' ')}.`).waitFor();
      await page.getByLabel('First name').fill('Kevin');
      await shoot(page, `collect-${size.name}.png`, false);
      await context.close();
    }
  } finally {
    await demo.close();
  }
}

async function shoot(page: Page, file: string, fullPage: boolean) {
  await page.screenshot({ path: path.join(OUT, file), fullPage });
  console.log(`wrote docs/screenshots/${file}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
