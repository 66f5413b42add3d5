import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { makeMember, makePetition, signer, type TestUser } from '../support/factories';
import { accessibilityProblems, openCollect, signIn, useBrowserApp, type E2E } from './support';

const app = useBrowserApp();
let t: E2E;
beforeAll(() => {
  t = app();
});

async function record(petitionId: string, volunteer: TestUser, countyFips: string) {
  const res = await fetch(`${t.url}/api/petitions/${petitionId}/signatures`, {
    method: 'POST',
    headers: { ...volunteer.auth, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
    body: JSON.stringify(signer({ countyFips })),
  });
  expect(res.status).toBe(201);
}

async function publicPetitionWithSigners() {
  const { petition } = await makePetition(t.ctx, { public: true, signaturesRequired: 2500 });
  const volunteer = await makeMember(t.ctx, petition.id, 'volunteer');
  const viewer = await makeMember(t.ctx, petition.id, 'viewer');
  for (const fips of ['06001', '06001', '06037', '06073', '06037', '06037', '06075']) {
    await record(petition.id, volunteer, fips);
  }
  return { petition, volunteer, viewer };
}

describe('the progress dashboard', () => {
  it('shows anyone the requirement, the county table and the map of a public petition', async () => {
    const { petition } = await publicPetitionWithSigners();
    const page = await (await t.newContext()).newPage();
    await page.goto(`/p/${petition.slug}`);

    await page.getByRole('heading', { name: '7 of 2,500 signatures required' }).waitFor();
    await page.getByText('Required 2,500').waitFor();
    const rows = page.locator('.county-table tbody tr');
    expect(await rows.count()).toBe(58);
    expect(await rows.first().locator('th').textContent()).toBe('Los Angeles');
    await page.locator('.county-map path').first().waitFor();
    expect(await page.locator('.county-map path').count()).toBe(58);

    await page.getByLabel('Search counties').fill('alam');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator('td').first().textContent()).toBe('2');
    await page.getByLabel('Search counties').fill('');
    await page.getByRole('button', { name: 'County' }).click();
    expect(await rows.first().locator('th').textContent()).toBe('Alameda');
    expect(await page.getByRole('button', { name: 'Download county tallies (CSV)' }).count()).toBe(0);
  });

  it('lets a viewer download the county tallies, whose TOTAL row matches the page', async () => {
    const { petition, viewer } = await publicPetitionWithSigners();
    const context = await t.newContext();
    const page = await context.newPage();
    await signIn(page, viewer, `/collect`);
    await page.getByText('You are not a volunteer').waitFor();
    await page.goto(`/p/${petition.slug}`);

    const total = await page.locator('[data-total-raw]').getAttribute('data-total-raw');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download county tallies (CSV)' }).click(),
    ]);
    const csv = readFileSync((await download.path()) as string, 'utf8')
      .trim()
      .split('\r\n');
    expect(csv[0]).toBe(
      'county_fips,county,raw,pending,valid,invalid,duplicate,validity_rate,projected_valid,target',
    );
    const last = (csv.at(-1) as string).split(',');
    expect(last.slice(0, 3)).toEqual(['', 'TOTAL', total]);
    expect(total).toBe('7');

    const [workbook] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download county tallies (Excel)' }).click(),
    ]);
    expect(workbook.suggestedFilename()).toMatch(/\.xlsx$/);
    expect(
      readFileSync((await workbook.path()) as string)
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  });
});

describe('the live dashboard', () => {
  it('says when it is cut off from the server, and goes live again when the connection returns', async () => {
    const { petition } = await makePetition(t.ctx, { public: true });
    const context = await t.newContext();
    const page = await context.newPage();
    await page.goto(`/p/${petition.slug}`);
    await page.getByText(/^Live · updated/).waitFor();

    await context.setOffline(true);
    await page.getByText('Disconnected: reconnecting…', { exact: false }).waitFor({ timeout: 20_000 });
    await context.setOffline(false);
    await page.getByText(/^Live · updated/).waitFor({ timeout: 20_000 });
  });
});

describe('accessibility', () => {
  for (const width of [1280, 360]) {
    it(`finds no serious or critical problems on the dashboard and the volunteer form at ${width} px`, async () => {
      const { petition, volunteer } = await publicPetitionWithSigners();
      const context = await t.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();

      await page.goto(`/p/${petition.slug}`);
      await page.locator('.county-map path').first().waitFor();
      expect(await accessibilityProblems(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

      await openCollect(page, volunteer);
      expect(await accessibilityProblems(page)).toEqual([]);
      await page.getByRole('button', { name: 'Record signer' }).click();
      await page.getByText('Enter the first name.').waitFor();
      expect(await page.getByLabel('First name').getAttribute('aria-invalid')).toBe('true');
      expect(await accessibilityProblems(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    });
  }
});
