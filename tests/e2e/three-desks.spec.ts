import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { CENTRAL_PORT } from '../../playwright.config';
import type { StaffRole } from '../../shared/events';
import { actAs } from './desk';
import { appIdOf, openCard, register } from './flow';

const CENTRAL = `http://127.0.0.1:${CENTRAL_PORT}`;
/** Replication is live, but three desks on two shared cores need room: bounded, not short. */
const SYNCED = { timeout: 30_000 };

/** The dev central creates its staff accounts after it starts answering: wait for the login to work. */
async function waitForStaff(request: APIRequestContext, name: string, password: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await request.post(`${CENTRAL}/_session`, { data: { name, password }, failOnStatusCode: false });
    if (r.ok()) return;
    if (Date.now() > deadline) throw new Error(`staff ${name} never appeared on the dev central`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

interface Person {
  login: string;
  password: string;
  name: string;
  role: StaffRole;
  desk: string;
}

const clerk: Person = {
  login: 'aigerim',
  password: 'kense-e2e-1',
  name: 'Сейітова Айгерім',
  role: 'clerk',
  desk: 'D11',
};
const head: Person = { login: 'bolat', password: 'kense-e2e-3', name: 'Жұмабеков Болат', role: 'head', desk: 'D12' };
const executor: Person = {
  login: 'nurlan',
  password: 'kense-e2e-4',
  name: 'Сәрсенов Нұрлан',
  role: 'executor',
  desk: 'D13',
};

/**
 * A desk of its own (a browser context: its own IndexedDB and storage), connected to the central.
 * Desk codes D11–D13: other specs' desks (D01, D02) use the same central in one run.
 */
async function desk(browser: Browser, p: Person): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await actAs(page, p.login, p.name, p.role, p.desk);
  await page.goto('./#/settings');
  await page.getByTestId('sync-url').fill(CENTRAL);
  await page.getByTestId('sync-username').fill(p.login);
  await page.getByTestId('sync-password').fill(p.password);
  await page.getByTestId('sync-connect').click();
  await expect(page.getByTestId('sync-indicator')).toContainText('Синхрондалды', SYNCED);
  return page;
}

test('clerk, head and executor on three desks: each sees the others’ actions without reloading', async ({
  browser,
  request,
}) => {
  test.setTimeout(150_000);
  for (const p of [clerk, head, executor]) await waitForStaff(request, p.login, p.password);
  const [c, h, x] = [await desk(browser, clerk), await desk(browser, head), await desk(browser, executor)];
  // The head and the executor keep their inboxes open; nothing reloads from here on.
  await h.goto('./#/inbox');
  await x.goto('./#/inbox');

  // The clerk registers a permit for an employer (North Kazakhstan: head, executor, head, clerk).
  const number = await register(c, { serviceId: 'fl-permit-sko', variantId: 'office' });
  await openCard(c, await appIdOf(c, number), number);

  // The head's inbox fills by replication; the head resolves.
  await expect(h.getByTestId('inbox-count')).toHaveText('1', SYNCED);
  await h.getByTestId('inbox-list').getByText(number).click({ timeout: SYNCED.timeout });
  await expect(h.getByTestId('card-number')).toHaveText(number);
  await h.getByTestId('executor-login').fill(executor.login);
  await h.getByTestId('executor-name').fill(executor.name);
  await h.getByTestId('do-resolution').click();
  await expect(h.getByTestId('card-step')).toContainText(executor.name);

  // The clerk's open card shows the resolution; the executor's inbox shows the application.
  await expect(c.getByTestId('card-step')).toContainText(executor.name, SYNCED);
  await expect(c.getByTestId('timeline')).toContainText(head.name);
  await expect(x.getByTestId('inbox-count')).toHaveText('1', SYNCED);
  await x.getByTestId('inbox-list').getByText(number).click({ timeout: SYNCED.timeout });
  await expect(x.getByTestId('card-number')).toHaveText(number);
  await x.getByTestId('do-step-done').click();
  await expect(x.getByTestId('action-panel')).toHaveCount(0);

  // The head's card, still open, offers the signature once the executor's work arrives.
  await expect(h.getByTestId('do-signed')).toBeVisible(SYNCED);
  await expect(h.getByTestId('timeline')).toContainText(executor.name);
  await h.getByTestId('do-signed').click();

  // The clerk's card, still open, offers the hand-over once the signature arrives.
  await expect(c.getByTestId('do-issued')).toBeVisible(SYNCED);
  await c.getByTestId('do-issued').click();
  await expect(c.getByTestId('card-status')).toContainText('Жабылды');

  // Everyone sees it closed, on the screens they already had open.
  await expect(h.getByTestId('card-status')).toContainText('Жабылды', SYNCED);
  await expect(x.getByTestId('card-status')).toContainText('Жабылды', SYNCED);
  await expect(x.getByTestId('timeline')).toContainText(clerk.name);
  for (const p of [c, h, x]) await expect(p.getByTestId('sync-indicator')).toContainText('Синхрондалды', SYNCED);
  await h.screenshot({ path: 'artifacts/screenshots/three-desks-head-kk.png', fullPage: true });
});
