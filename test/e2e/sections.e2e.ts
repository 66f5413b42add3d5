import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
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

const tag = () => randomUUID().slice(0, 8);
const today = () => new Date().toISOString().slice(0, 10);

async function petitionWithPeople() {
  const { petition } = await makePetition(t.ctx, { public: true });
  const organizer = await makeMember(t.ctx, petition.id, 'organizer');
  const volunteer = await makeMember(t.ctx, petition.id, 'volunteer');
  return { petition, organizer, volunteer };
}

/** Issues sections of Alameda to the volunteer from the organizer's Sections tab. */
async function issue(page: Page, volunteer: TestUser, howMany: number) {
  await page.getByLabel('County', { exact: true }).selectOption('06001');
  await page.getByLabel('Number of sections').fill(String(howMany));
  await page.getByLabel('Circulator', { exact: true }).selectOption(volunteer.id);
  await page.getByRole('button', { name: 'Issue sections' }).click();
}

async function api(user: TestUser, method: string, path: string, body: object) {
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: { ...user.auth, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> };
}

const noSideScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe('the paper trail', () => {
  it('an organizer issues sections to a volunteer, the volunteer enters two signers on one of them offline and returns it, the organizer counts and files it and the manifest lists it', async () => {
    const { petition, organizer, volunteer } = await petitionWithPeople();
    const desk = await (await t.newContext({ acceptDownloads: true })).newPage();
    await signIn(desk, organizer, `/organize/${petition.slug}/sections`);
    await desk.getByRole('heading', { name: 'Issue sections' }).waitFor();
    await issue(desk, volunteer, 2);
    await desk.getByText('Issued sections 1–2 of Alameda to Test User.').waitFor();
    await desk.getByRole('heading', { name: 'Outstanding sections (2)' }).waitFor();

    const context = await t.newContext();
    const phone = await context.newPage();
    await openCollect(phone, volunteer);
    await phone.getByRole('heading', { name: 'My sections (2)' }).waitFor();
    await context.setOffline(true);
    await phone.getByLabel('Section', { exact: true }).selectOption('1');
    expect(await phone.getByLabel('Line').inputValue()).toBe('1');
    expect(await phone.getByLabel('County').inputValue()).toBe('Alameda');
    const names = [`Kim${tag()}`, `Lou${tag()}`];
    await recordSigner(phone, person(names[0] as string));
    await phone.getByText('1 waiting to send').waitFor();
    expect(await phone.getByLabel('Line').inputValue()).toBe('2');
    await recordSigner(phone, person(names[1] as string));
    await phone.getByText('2 waiting to send').waitFor();
    expect(await phone.getByLabel('Line').inputValue()).toBe('3');
    await phone.getByText('2 waiting on this device').waitFor();

    await context.setOffline(false);
    await phone.getByText('Everything is sent').waitFor({ timeout: 20_000 });
    const stored = await t.ctx
      .knex('signatures')
      .where({ petition_id: petition.id })
      .whereIn('first_name', names)
      .orderBy('line')
      .select('first_name', 'section_number', 'line');
    expect(stored).toEqual([
      { first_name: names[0], section_number: 1, line: 1 },
      { first_name: names[1], section_number: 1, line: 2 },
    ]);
    await phone.getByText('2 lines entered').waitFor();
    await phone.getByRole('button', { name: 'Return section 1' }).click();
    await phone.getByText('Section 1 is returned.').waitFor();
    expect(await phone.getByRole('button', { name: 'Return section 1' }).count()).toBe(0);

    await desk.reload();
    await desk.getByRole('heading', { name: 'Outstanding sections (1)' }).waitFor();
    await desk.getByLabel('Section number').fill('1');
    await desk.getByRole('button', { name: 'Find' }).click();
    await desk.getByRole('heading', { name: /Section 1 · Alameda returned/ }).waitFor();
    await desk.getByLabel('Lines counted', { exact: true }).fill('2');
    await desk.getByLabel('Declaration signed on').fill(today());
    await desk.getByRole('button', { name: 'Mark counted' }).click();
    await desk.getByText('Section 1 is counted: 2 lines.').waitFor();

    const box = desk.getByRole('checkbox', { name: 'Section 1: 2 lines counted, 2 entered' });
    expect(await box.isChecked()).toBe(true);
    await desk.getByRole('button', { name: 'File 1 section (2 lines)' }).click();
    await desk.getByText('Filed 1 section (2 lines) in Alameda.').waitFor();
    const [download] = await Promise.all([
      desk.waitForEvent('download'),
      desk.getByRole('link', { name: 'Download the manifest (CSV)' }).click(),
    ]);
    const csv = readFileSync((await download.path()) as string, 'utf8')
      .trim()
      .split('\r\n');
    expect(csv).toEqual([
      'section,county_fips,county,circulator,lines_counted,lines_entered,declaration_signed_at',
      `1,06001,Alameda,Test User,2,2,${today()}`,
      'TOTAL,06001,Alameda,,2,2,',
    ]);
    await desk.getByRole('row', { name: /Alameda 1 2/ }).waitFor();
    const [section] = await t.ctx.knex('sections').where({ petition_id: petition.id, number: 1 });
    expect(section.status).toBe('filed');
  });

  it('shows a line the server refused under "Needs fixing", and sends it again once fixed', async () => {
    const { petition, organizer, volunteer } = await petitionWithPeople();
    const issued = await api(organizer, 'POST', `/api/petitions/${petition.id}/sections`, {
      countyFips: '06001',
      circulatorId: volunteer.id,
    });
    expect(issued.status).toBe(201);
    const taken = await api(volunteer, 'POST', `/api/petitions/${petition.id}/signatures`, {
      ...signer(),
      sectionNumber: 1,
      line: 1,
    });
    expect(taken.status).toBe(201);

    const page = await (await t.newContext()).newPage();
    await openCollect(page, volunteer);
    await page.getByText('1 line entered').waitFor();
    await page.getByLabel('Section', { exact: true }).selectOption('1');
    expect(await page.getByLabel('Line').inputValue()).toBe('2');
    await page.getByLabel('Line').fill('1');
    const name = `Max${tag()}`;
    await recordSigner(page, person(name));
    await page.getByRole('heading', { name: 'Needs fixing (1)' }).waitFor({ timeout: 20_000 });
    await page.getByText('Line: line 1 of section 1 holds another signer.').waitFor();

    await page.getByRole('button', { name: 'Fix' }).click();
    await page.getByRole('heading', { name: 'Fix the record' }).waitFor();
    expect(await page.getByLabel('Line').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Line').getAttribute('aria-describedby')).toContain('line-error');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByLabel('Line').fill('2');
    await page.getByRole('button', { name: 'Record signer' }).click();
    await page.getByText(`Recorded: ${name} Rivera.`).waitFor();
    expect(await page.getByRole('heading', { name: /Needs fixing/ }).count()).toBe(0);
  });
});

describe('accessibility of the paper trail', () => {
  for (const width of [1280, 360]) {
    it(`finds no serious or critical problems on the sections views at ${width} px`, async () => {
      const { petition, organizer, volunteer } = await petitionWithPeople();
      const sections = `/api/petitions/${petition.id}/sections`;
      await api(organizer, 'POST', sections, { countyFips: '06001', count: 3, circulatorId: volunteer.id });
      for (const n of [2, 3]) await api(organizer, 'PATCH', `${sections}/${n}`, { status: 'returned' });
      await api(organizer, 'PATCH', `${sections}/3`, {
        status: 'counted',
        linesCounted: 0,
        declarationSignedAt: today(),
      });
      const context = await t.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();

      await signIn(page, organizer, `/organize/${petition.slug}/sections`);
      await page.getByRole('heading', { name: 'Outstanding sections (1)' }).waitFor();
      await page.getByRole('checkbox', { name: /Section 3/ }).waitFor();
      await page.getByRole('button', { name: 'Issue sections' }).click();
      await page.getByText('Choose the county the sections are for.').waitFor();
      expect(await page.getByLabel('County', { exact: true }).getAttribute('aria-invalid')).toBe('true');
      await page.getByRole('button', { name: 'Open section 1' }).click();
      await page.getByRole('button', { name: 'Mark returned' }).waitFor();
      expect(await accessibilityProblems(page)).toEqual([]);
      expect(await noSideScroll(page)).toBeLessThanOrEqual(width);

      await page.getByLabel('Section number').fill('2');
      await page.getByRole('button', { name: 'Find' }).click();
      await page.getByRole('button', { name: 'Mark counted' }).click();
      await page.getByText('Enter the lines signed, from 0 to 1000.').waitFor();
      expect(await page.getByLabel('Lines counted', { exact: true }).getAttribute('aria-invalid')).toBe(
        'true',
      );
      expect(await accessibilityProblems(page)).toEqual([]);
      expect(await noSideScroll(page)).toBeLessThanOrEqual(width);

      await page.goto(`/p/${petition.slug}`);
      await page.getByRole('heading', { name: 'Paper sections' }).waitFor();
      await page.getByRole('button', { name: 'Lines counted' }).waitFor();
      expect(await accessibilityProblems(page)).toEqual([]);
      expect(await noSideScroll(page)).toBeLessThanOrEqual(width);

      await page.getByRole('button', { name: 'Log out' }).click();
      await openCollect(page, volunteer);
      await page.getByRole('heading', { name: 'My sections (3)' }).waitFor();
      await page.getByLabel('Section', { exact: true }).selectOption('1');
      await page.getByLabel('Line').fill('0');
      await page.getByRole('button', { name: 'Record signer' }).click();
      await page.getByText('Enter a line number from 1 to 1000.').waitFor();
      expect(await accessibilityProblems(page)).toEqual([]);
      expect(await noSideScroll(page)).toBeLessThanOrEqual(width);
    });
  }

  it('leaves the paper out of the dashboard for the public', async () => {
    const { petition, organizer } = await petitionWithPeople();
    await api(organizer, 'POST', `/api/petitions/${petition.id}/sections`, { countyFips: '06001' });
    const page = await (await t.newContext()).newPage();
    await page.goto(`/p/${petition.slug}`);
    await page.getByRole('heading', { name: /signatures required/ }).waitFor();
    expect(await page.getByRole('heading', { name: 'Paper sections' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Lines counted' }).count()).toBe(0);
  });
});
