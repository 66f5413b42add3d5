import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { makeMember, makePetition, signer, type TestUser } from '../support/factories';
import {
  accessibilityProblems,
  openCollect,
  person,
  recordSigner,
  signIn,
  useBrowserApp,
  type E2E,
} from './support';

const app = useBrowserApp();
let t: E2E;
beforeAll(() => {
  t = app();
});

const PHONE = { width: 390, height: 844 };

async function api(user: TestUser, path: string, body: object) {
  const res = await fetch(`${t.url}${path}`, {
    method: 'POST',
    headers: { ...user.auth, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
}

/** A public petition early in its campaign (7 of 2,500), an organizer, and a volunteer holding a section. */
async function earlyCampaign() {
  const { petition } = await makePetition(t.ctx, { public: true, signaturesRequired: 2500 });
  const organizer = await makeMember(t.ctx, petition.id, 'organizer');
  const volunteer = await makeMember(t.ctx, petition.id, 'volunteer');
  for (const countyFips of ['06001', '06001', '06037', '06073', '06037', '06037', '06075'])
    await api(volunteer, `/api/petitions/${petition.id}/signatures`, signer({ countyFips }));
  await api(organizer, `/api/petitions/${petition.id}/sections`, {
    countyFips: '06001',
    circulatorId: volunteer.id,
  });
  return { petition, organizer, volunteer };
}

/** What a person sees wrong with the page at this width: a sideways scroll, a header on two lines, axe findings. */
async function problemsOf(page: Page): Promise<string[]> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  const header = await page.locator('header.site').boundingBox();
  return [
    ...(scrollWidth > innerWidth ? [`the page scrolls sideways: ${scrollWidth} > ${innerWidth}`] : []),
    ...(header && header.height > 60 ? [`the header is ${header.height} px high`] : []),
    ...(await accessibilityProblems(page)),
  ];
}

/** Where the words of an element are drawn (not its box, which may be wider). */
const textBox = (locator: Locator) =>
  locator.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const { x, width } = range.getBoundingClientRect();
    return { x, width };
  });

/** The home page's card of a petition (every test petition has the same title). */
const cardOf = (page: Page, slug: string) =>
  page
    .getByRole('listitem')
    .filter({ has: page.locator(`a[href="/p/${slug}"]`) })
    .first();

const box = async (page: Page, selector: string) => {
  const found = await page.locator(selector).first().boundingBox();
  if (!found) throw new Error(`${selector} is not shown`);
  return found;
};

describe('on a 390 × 844 phone', () => {
  it('no page scrolls sideways or wraps its header, and axe finds nothing', async () => {
    const { petition, organizer, volunteer } = await earlyCampaign();
    const page = await (await t.newContext({ viewport: PHONE })).newPage();

    await page.goto('/');
    await cardOf(page, petition.slug).getByText('0.3 %').waitFor();
    expect(await problemsOf(page)).toEqual([]);

    await page.goto(`/p/${petition.slug}`);
    await page.locator('.county-map path').first().waitFor();
    expect(await problemsOf(page)).toEqual([]);

    await openCollect(page, volunteer);
    await page.getByRole('heading', { name: 'My sections (1)' }).waitFor();
    expect(await problemsOf(page)).toEqual([]);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    await signIn(page, organizer, `/organize/${petition.slug}`);
    await page.getByRole('heading', { name: 'Members (2)' }).waitFor();
    expect(await problemsOf(page)).toEqual([]);
    const tabs = await page.getByRole('navigation', { name: 'Organizer pages' }).getByRole('link').all();
    const tops = await Promise.all(tabs.map(async (tab) => (await tab.boundingBox())?.y));
    expect(new Set(tops).size).toBe(1);

    await page.getByRole('link', { name: 'Sections' }).click();
    await page.getByRole('heading', { name: 'Outstanding sections (1)' }).waitFor();
    expect(await problemsOf(page)).toEqual([]);
  });

  it('shows the requirement under its line on the bar, and the collected share of an early campaign', async () => {
    const { petition } = await earlyCampaign();
    const page = await (await t.newContext({ viewport: PHONE })).newPage();
    await page.goto(`/p/${petition.slug}`);
    await page.getByRole('heading', { name: '7 of 2,500 signatures required' }).waitFor();

    const bar = await box(page, '.progress-figure .bar');
    const tick = await box(page, '.bar-mark.required');
    const label = page.locator('.progress-figure').getByText('required', { exact: true });
    expect(await label.isVisible()).toBe(true);
    const under = await label.boundingBox();
    expect(under?.y).toBeGreaterThanOrEqual(bar.y + bar.height);
    expect(under?.x).toBeLessThanOrEqual(tick.x + tick.width / 2);
    expect((under?.x ?? 0) + (under?.width ?? 0)).toBeGreaterThanOrEqual(tick.x + tick.width / 2);
    expect((under?.x ?? 0) + (under?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);

    const share = page.locator('.progress-figure .bar').getByText('0.3 %');
    expect(await share.isVisible()).toBe(true);
  });

  it('shows "Record signer" without scrolling, with a section to pick and the last signer recorded', async () => {
    const { volunteer } = await earlyCampaign();
    const page = await (await t.newContext({ viewport: PHONE })).newPage();
    await openCollect(page, volunteer);
    await page.getByRole('heading', { name: 'My sections (1)' }).waitFor();
    const button = page.getByRole('button', { name: 'Record signer' });
    const bottom = async () => {
      const found = await button.boundingBox();
      return (found?.y ?? Infinity) + (found?.height ?? 0);
    };
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    expect(await bottom()).toBeLessThanOrEqual(PHONE.height);

    await page.getByLabel('Section', { exact: true }).selectOption('1');
    await recordSigner(page, person(`Nia${randomUUID().slice(0, 8)}`));
    await page.getByText(/^Recorded: /).waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(await bottom()).toBeLessThanOrEqual(PHONE.height);
  });
});

describe('the home page', () => {
  it('lays the petitions out as cards with their progress, and signs in from the header', async () => {
    const { petition, organizer } = await earlyCampaign();
    const page = await (await t.newContext({ viewport: PHONE })).newPage();
    await page.goto('/');
    const card = cardOf(page, petition.slug);
    await card.getByText('7 of 2,500 signatures required').waitFor();
    expect(await card.evaluate((li) => getComputedStyle(li).listStyleType)).toBe('none');
    expect(await card.getByRole('link', { name: 'Organize' }).count()).toBe(0);

    const open = page.getByRole('banner').getByRole('button', { name: 'Sign in' });
    await open.click();
    expect(await open.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByLabel('Email').evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByLabel('Email').fill(organizer.email);
    await page.getByLabel('Password').fill(organizer.password);
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await card.getByRole('link', { name: 'Organize' }).waitFor();
    await page.getByRole('banner').getByRole('button', { name: 'Log out' }).waitFor();
    expect(await problemsOf(page)).toEqual([]);
  });
});

describe('the members table at 1280 px', () => {
  it('puts each header over its column and says why the organizer’s own role cannot change', async () => {
    const { petition, organizer } = await earlyCampaign();
    const page = await (await t.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(page, organizer, `/organize/${petition.slug}`);
    await page.getByRole('heading', { name: 'Members (2)' }).waitFor();

    const table = page.getByRole('table');
    const headers = table.locator('thead th');
    const row = table.locator('tbody tr').filter({ hasText: organizer.email });
    expect(await headers.count()).toBe(await row.locator('th, td').count());
    for (const [name, cell] of [
      ['Email', row.getByText(organizer.email)],
      ['Role', row.getByRole('combobox')],
    ] as const) {
      const header = await textBox(headers.filter({ hasText: name }));
      const below = await cell.boundingBox();
      expect(below).not.toBeNull();
      // The header's words start where the column's content starts, and lie over it.
      expect(Math.abs(header.x - (below?.x ?? 0))).toBeLessThanOrEqual(12);
      expect(header.x).toBeLessThan((below?.x ?? 0) + (below?.width ?? 0));
    }

    const own = page.getByRole('row').filter({ hasText: organizer.email }).getByRole('combobox');
    expect(await own.isDisabled()).toBe(true);
    const described = await own.getAttribute('aria-describedby');
    expect(described).toBeTruthy();
    const hint = page.locator(`[id="${described}"]`);
    expect(await hint.isVisible()).toBe(true);
    expect(await hint.textContent()).toBe("You can't change your own role.");
    expect(await accessibilityProblems(page)).toEqual([]);
  });
});

describe('before sign-in', () => {
  it('each page asks who is signed in once and logs no error of its own', async () => {
    const { petition } = await earlyCampaign();
    const pages: [string, (page: Page) => Promise<void>][] = [
      ['/', (page) => page.getByRole('button', { name: 'Sign in' }).waitFor()],
      [`/p/${petition.slug}`, (page) => page.getByRole('heading', { name: /signatures required/ }).waitFor()],
      ['/collect', (page) => page.getByRole('heading', { name: 'Sign in' }).waitFor()],
      [`/organize/${petition.slug}`, (page) => page.getByRole('heading', { name: 'Sign in' }).waitFor()],
    ];
    for (const [path, ready] of pages) {
      const page = await (await t.newContext()).newPage();
      const errors: string[] = [];
      let asked = 0;
      page.on('console', (m) => {
        // Chromium itself reports the one 401 of /api/auth/me, the page's "nobody is signed in".
        const own401 = m.location().url.endsWith('/api/auth/me') && m.text().includes('status of 401');
        if (m.type() === 'error' && !own401) errors.push(m.text());
      });
      page.on('pageerror', (err) => errors.push(err.message));
      page.on('requestfailed', (r) => errors.push(`${r.url()} failed`));
      page.on('response', (r) => void (new URL(r.url()).pathname === '/api/auth/me' && (asked += 1)));
      await page.goto(path);
      await ready(page);
      await page.waitForLoadState('networkidle');
      expect({ path, errors, asked }).toEqual({ path, errors: [], asked: 1 });
      await page.context().close();
    }
  });
});
