import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { issueToken } from '../../server/auth/tokens';
import { makeMember, makePetition } from '../support/factories';
import { accessibilityProblems, openCollect, signIn, useBrowserApp, type E2E } from './support';

const app = useBrowserApp();
let t: E2E;
beforeAll(() => {
  t = app();
});

const tag = () => randomUUID().slice(0, 8);

/** What the API answers a script that sends the token (from this process, not the page). */
async function meWith(token: string): Promise<{ status: number; userId?: string }> {
  const res = await fetch(`${t.url}/api/auth/me`, { headers: { Authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { user?: { id: string } };
  return { status: res.status, userId: body.user?.id };
}

/** The status a request with the token gets once a second has passed at most. */
async function statusWithinASecond(token: string, wanted: number): Promise<number> {
  const until = Date.now() + 1_000;
  let status = (await meWith(token)).status;
  while (status !== wanted && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = (await meWith(token)).status;
  }
  return status;
}

/** Creates a token in the page and returns its secret, as the page shows it once. */
async function createToken(page: Page, name: string, days?: string): Promise<string> {
  await page.getByLabel('Token name').fill(name);
  if (days) await page.getByLabel('Days until it expires').fill(days);
  await page.getByRole('button', { name: 'Create token' }).click();
  const secret = page.getByLabel('Token secret');
  await secret.waitFor();
  await page.getByText('it will not be shown again').waitFor();
  expect(await secret.getAttribute('readonly')).not.toBeNull();
  expect(await secret.evaluate((el) => el === document.activeElement)).toBe(true);
  return secret.inputValue();
}

async function revokeToken(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `Revoke ${name}` }).click();
  await page
    .getByRole('dialog', { name: `Revoke “${name}”?` })
    .getByRole('button', { name: 'Revoke token' })
    .click();
  await page.getByText(`Token “${name}” revoked`).waitFor();
}

describe('the API tokens view', () => {
  it('lets an organizer create a token, see its secret once, use it, and revoke it', async () => {
    const { petition } = await makePetition(t.ctx);
    const organizer = await makeMember(t.ctx, petition.id, 'organizer');
    const context = await t.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    await signIn(page, organizer, `/organize/${petition.slug}`);
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByRole('heading', { name: 'Your tokens (1)' }).waitFor(); // the factory's own
    expect(page.url()).toMatch(/\/tokens$/);
    expect(await page.getByLabel('Days until it expires').inputValue()).toBe('90');
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByLabel('Days until it expires').fill('400');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText('Enter a name that says what the token is for.').waitFor();
    await page.getByText('Enter a whole number of days, from 1 to 365.').waitFor();
    for (const [label, id] of [
      ['Token name', 'token-name'],
      ['Days until it expires', 'token-days'],
    ]) {
      const field = page.getByLabel(label as string);
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect(await field.getAttribute('aria-describedby')).toContain(`${id}-error`);
    }
    expect(await accessibilityProblems(page)).toEqual([]);

    const name = `export script ${tag()}`;
    const secret = await createToken(page, name, '30');
    expect(secret).toMatch(/^pet_/);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(await meWith(secret)).toEqual({ status: 200, userId: organizer.id });
    const [stored] = await t.ctx.knex('api_tokens').where({ user_id: organizer.id, name });
    const days = (new Date(stored.expires_at).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByLabel('Token name').waitFor();
    expect(await page.getByLabel('Token secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    const row = page.getByRole('listitem').filter({ hasText: name });
    await row.getByText('Never used').waitFor();
    await page.reload();
    await row.getByText('Last used').waitFor();
    expect(await page.content()).not.toContain(secret);

    await page.getByRole('button', { name: `Revoke ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Revoke “${name}”?` });
    await dialog.waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await meWith(secret)).status).toBe(200);

    await revokeToken(page, name);
    await page.getByRole('heading', { name: 'Your tokens (1)' }).waitFor();
    expect(await row.count()).toBe(0);
    expect(await statusWithinASecond(secret, 401)).toBe(401);
    expect((await meWith(organizer.token)).status).toBe(200);
  });

  it('stay folded away in the volunteer app until opened, show expired ones, and work at 360 px', async () => {
    const { petition } = await makePetition(t.ctx);
    const volunteer = await makeMember(t.ctx, petition.id, 'volunteer');
    const old = await issueToken(t.ctx.knex, volunteer.id, 'old laptop', 1);
    await t.ctx
      .knex('api_tokens')
      .where({ id: old.id })
      .update({ expires_at: new Date(Date.now() - 86_400_000) });
    const page = await (await t.newContext({ viewport: { width: 360, height: 740 } })).newPage();
    let listed = 0;
    page.on('request', (r) => void (r.url().endsWith('/api/auth/tokens') && (listed += 1)));
    await openCollect(page, volunteer);
    expect(await page.getByLabel('Token name').count()).toBe(0);
    expect(listed).toBe(0);

    await page.locator('summary', { hasText: 'API tokens' }).click();
    await page.getByRole('heading', { name: 'Your tokens (2)' }).waitFor();
    const expired = page.getByRole('listitem').filter({ hasText: 'old laptop' });
    await expired.getByText('expired', { exact: true }).waitFor();
    await expired.getByText(/Expired \w{3} \d+, \d{4}/).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    const name = `phone ${tag()}`;
    const secret = await createToken(page, name);
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await meWith(secret)).toEqual({ status: 200, userId: volunteer.id });
    const [stored] = await t.ctx.knex('api_tokens').where({ user_id: volunteer.id, name });
    expect((new Date(stored.expires_at).getTime() - Date.now()) / 86_400_000).toBeGreaterThan(89.9);

    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('heading', { name: 'Your tokens (3)' }).waitFor();
    await revokeToken(page, name);
    await page.getByRole('heading', { name: 'Your tokens (2)' }).waitFor();
    expect(await statusWithinASecond(secret, 401)).toBe(401);
  });
});
