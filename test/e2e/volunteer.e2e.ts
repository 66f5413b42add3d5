import { randomUUID } from 'node:crypto';
import { makeMember, makePetition } from '../support/factories';
import { openCollect, person, recordSigner, storedRows, useBrowserApp, type E2E } from './support';

const app = useBrowserApp();
let t: E2E;
beforeAll(() => {
  t = app();
});

async function volunteerOnPublicPetition() {
  const { petition } = await makePetition(t.ctx, { public: true, signaturesRequired: 1000 });
  const volunteer = await makeMember(t.ctx, petition.id, 'volunteer');
  return { petition, volunteer };
}

const tag = () => randomUUID().slice(0, 8);

describe('the volunteer app', () => {
  it('records three signers, and an open dashboard shows the counts change without a reload', async () => {
    const { petition, volunteer } = await volunteerOnPublicPetition();
    const dashboard = await (await t.newContext()).newPage();
    await dashboard.goto(`/p/${petition.slug}`);
    await dashboard.getByRole('heading', { name: '0 of 1,000 signatures required' }).waitFor();
    await dashboard.getByText(/^Live/).waitFor();
    await dashboard.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

    const phone = await (await t.newContext()).newPage();
    await openCollect(phone, volunteer);
    const names = [`Ana${tag()}`, `Ben${tag()}`, `Cy${tag()}`];
    for (const name of names) {
      await recordSigner(phone, person(name));
      await phone.getByText(`Recorded: ${name} Rivera.`).waitFor();
    }
    await phone.getByRole('heading', { name: 'My signers today (3)' }).waitFor();

    await dashboard
      .getByRole('heading', { name: '3 of 1,000 signatures required' })
      .waitFor({ timeout: 15_000 });
    expect(
      await dashboard.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument),
    ).toBe(true);
    for (const name of names) expect(await storedRows(t.ctx, petition.id, name)).toBe(1);
  });

  it('keeps records typed offline, shows them waiting, and sends each exactly once when back online', async () => {
    const { petition, volunteer } = await volunteerOnPublicPetition();
    const context = await t.newContext();
    const page = await context.newPage();
    await openCollect(page, volunteer);

    await context.setOffline(true);
    const names = [`Dee${tag()}`, `Eli${tag()}`];
    for (const name of names) await recordSigner(page, person(name));
    await page.getByText('2 waiting to send').waitFor();
    await page.getByText('Offline').waitFor();
    expect(await storedRows(t.ctx, petition.id, names[0] as string)).toBe(0);

    await context.setOffline(false);
    await page.getByText('Everything is sent').waitFor({ timeout: 20_000 });
    for (const name of names) expect(await storedRows(t.ctx, petition.id, name)).toBe(1);
  });

  it('counts a record once when the network drops the answer and it is sent again', async () => {
    const { petition, volunteer } = await volunteerOnPublicPetition();
    const context = await t.newContext({ serviceWorkers: 'block' });
    let sends = 0;
    let dropped!: () => void;
    const firstAnswerDropped = new Promise<void>((resolve) => (dropped = resolve));
    await context.route('**/signatures/batch', async (route) => {
      sends += 1;
      if (sends > 1) return route.continue();
      await route.fetch(); // the server stores the record…
      await route.abort('connectionreset'); // …but its answer never arrives
      dropped();
    });
    const page = await context.newPage();
    await openCollect(page, volunteer);
    const name = `Flo${tag()}`;
    await recordSigner(page, person(name));
    await firstAnswerDropped;
    await page.getByText('1 waiting to send').waitFor();
    expect(await storedRows(t.ctx, petition.id, name)).toBe(1);

    await page.getByRole('button', { name: 'Send now' }).click();
    await page.getByText('Everything is sent').waitFor();
    expect(sends).toBe(2);
    expect(await storedRows(t.ctx, petition.id, name)).toBe(1);
  });

  it('sends what is waiting when the app is opened again', async () => {
    const { petition, volunteer } = await volunteerOnPublicPetition();
    const context = await t.newContext({ serviceWorkers: 'block' });
    await context.route('**/signatures/batch', (route) => route.abort('connectionrefused'));
    const page = await context.newPage();
    await openCollect(page, volunteer);
    const name = `Gus${tag()}`;
    await recordSigner(page, person(name));
    await page.getByText('1 waiting to send').waitFor();

    await context.unroute('**/signatures/batch');
    await page.reload();
    await page.getByText('Everything is sent').waitFor();
    expect(await storedRows(t.ctx, petition.id, name)).toBe(1);
  });

  it('shows a possible duplicate right after submit, and keeps a refused record with its reason', async () => {
    const { petition, admin } = await makePetition(t.ctx, { public: true });
    const volunteer = await makeMember(t.ctx, petition.id, 'volunteer');
    const page = await (await t.newContext()).newPage();
    await openCollect(page, volunteer);
    const name = `Hal${tag()}`;
    await recordSigner(page, person(name));
    await page.getByText(`Recorded: ${name} Rivera.`).waitFor();
    await recordSigner(page, person(name));
    await page.getByText('Possible duplicate:').waitFor();

    const closed = await fetch(`${t.url}/api/petitions/${petition.id}`, {
      method: 'PATCH',
      headers: { ...admin.auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'submitted' }),
    });
    expect(closed.status).toBe(200);
    await recordSigner(page, person(`Ivy${tag()}`));
    await page.getByRole('heading', { name: 'Needs fixing (1)' }).waitFor({ timeout: 20_000 });
    await page
      .getByText(/not collecting signatures|not circulating/i)
      .first()
      .waitFor();
  });

  it('warns before logging out with unsent records, then clears them from the device', async () => {
    const { volunteer } = await volunteerOnPublicPetition();
    const context = await t.newContext();
    const page = await context.newPage();
    await openCollect(page, volunteer);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await context.setOffline(true);
    await page.reload(); // opens from the service worker's copy and the device's last answers
    await recordSigner(page, person(`Jo${tag()}`));
    await page.getByText('1 waiting to send').waitFor();

    await page.getByRole('button', { name: 'Log out' }).click();
    const dialog = page.getByRole('dialog', { name: 'Records not sent' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Stay signed in' }).click();
    await page.getByText('1 waiting to send').waitFor();

    await page.getByRole('button', { name: 'Log out' }).click();
    await dialog.getByRole('button', { name: 'Log out and delete' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const left = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const open = indexedDB.open('petition-collect');
          open.onsuccess = () => {
            const count = open.result.transaction('outbox').objectStore('outbox').count();
            count.onsuccess = () => resolve(count.result);
          };
        }),
    );
    expect(left).toBe(0);
  });
});
