import { expect, test, type Page } from './fixtures';
import type { StaffRole } from '../../shared/events';
import { actAs, freshCentral } from './desk';
import { appIdOf, openCard, register, chooseExecutor } from './flow';

/** Replication is live, but three desks on two shared cores need room: bounded, not short. */
const SYNCED = { timeout: 30_000 };

interface Person {
  login: string;
  name: string;
  role: StaffRole;
  desk: string;
}

const clerk: Person = {
  login: 'aigerim',
  name: 'Сейітова Айгерім',
  role: 'clerk',
  desk: 'D11',
};
const head: Person = { login: 'bolat', name: 'Жұмабеков Болат', role: 'head', desk: 'D12' };
const executor: Person = {
  login: 'nurlan',
  name: 'Сәрсенов Нұрлан',
  role: 'executor',
  desk: 'D13',
};

/**
 * A desk of its own (a browser context: its own IndexedDB and storage), connected to the central.
 * Desk codes D11–D13: other specs' desks (D01, D02) use the same central in one run.
 */
async function desk(newDesk: () => Promise<Page>, p: Person): Promise<Page> {
  const page = await newDesk();
  // Signing in starts the sync with the desk's central, as the signed-in person.
  await actAs(page, p.login, p.name, p.role, p.desk);
  await expect(page.getByTestId('sync-indicator')).toContainText('Синхрондалды', SYNCED);
  return page;
}

test('clerk, head and executor on three desks: each sees the others’ actions without reloading', async ({
  newDesk,
}) => {
  test.setTimeout(150_000);
  // An empty office on the central: the inbox counts below are this test's alone.
  await freshCentral();
  const [c, h, x] = [await desk(newDesk, clerk), await desk(newDesk, head), await desk(newDesk, executor)];
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
  await chooseExecutor(h, executor.login, executor.name);
  await h.getByTestId('do-resolution').click();
  // Its own action, but projected by a desk whose worker shares two cores with two other desks
  // syncing: one CI run showed it after 5 s (the card had it by the failure's screenshot).
  await expect(h.getByTestId('card-step')).toContainText(executor.name, SYNCED);

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
