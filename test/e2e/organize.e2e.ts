import { randomUUID } from 'node:crypto';
import { makeMember, makePetition, makeUser, signer } from '../support/factories';
import { accessibilityProblems, signIn, useBrowserApp, type E2E } from './support';

const app = useBrowserApp();
let t: E2E;
beforeAll(() => {
  t = app();
});

describe('the organizer pages', () => {
  it('list members, add one by email, change a role, and show per-circulator figures', async () => {
    const { petition } = await makePetition(t.ctx);
    const organizer = await makeMember(t.ctx, petition.id, 'organizer');
    const volunteer = await makeMember(t.ctx, petition.id, 'volunteer');
    const newcomer = await makeUser(t.ctx);
    const sent = await fetch(`${t.url}/api/petitions/${petition.id}/signatures`, {
      method: 'POST',
      headers: { ...volunteer.auth, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify(signer()),
    });
    expect(sent.status).toBe(201);

    const page = await (await t.newContext()).newPage();
    await signIn(page, organizer, `/organize/${petition.slug}`);
    await page.getByRole('heading', { name: 'Members (2)' }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByLabel('Email').fill(newcomer.email);
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('heading', { name: 'Members (3)' }).waitFor();
    const [membership] = await t.ctx
      .knex('memberships')
      .where({ petition_id: petition.id, user_id: newcomer.id });
    expect(membership.role).toBe('viewer');

    const row = page.getByRole('row').filter({ hasText: newcomer.email });
    await row.getByRole('combobox').selectOption('volunteer');
    await page.getByText('Test User is now volunteer.').waitFor();
    const [changed] = await t.ctx
      .knex('memberships')
      .where({ petition_id: petition.id, user_id: newcomer.id });
    expect(changed.role).toBe('volunteer');

    await page.getByLabel('Email').fill('nobody-here@example.org');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByText('No user has that email address.').waitFor();
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');

    await page.getByRole('link', { name: 'Circulators' }).click();
    await page.getByRole('heading', { name: 'Circulators (1)' }).waitFor();
    expect(page.url()).toMatch(/\/circulators$/);
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByRole('link', { name: 'Verification and review' }).click();
    await page.getByText('Nothing waits for review.').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it('are refused to a volunteer', async () => {
    const { petition } = await makePetition(t.ctx);
    const volunteer = await makeMember(t.ctx, petition.id, 'volunteer');
    const page = await (await t.newContext()).newPage();
    await signIn(page, volunteer, `/organize/${petition.slug}`);
    await page.getByText("Only the petition's organizers can use these pages.").waitFor();
  });
});
