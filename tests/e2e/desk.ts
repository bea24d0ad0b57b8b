import { expect, type Page } from '@playwright/test';

/** A desk as new: no settings, no office database, no read model (real IndexedDB, emptied). */
export async function freshDesk(page: Page): Promise<void> {
  await page.goto('./');
  await page.evaluate(async () => {
    localStorage.clear();
    for (const db of await indexedDB.databases()) if (db.name) indexedDB.deleteDatabase(db.name);
  });
}

/** Sets the desk up in Settings: office ALM01, the given desk, and the person working at it. */
export async function actAs(page: Page, login: string, name: string, role = 'clerk', desk = 'D01'): Promise<void> {
  await page.goto('./#/settings');
  await page.getByTestId('setup-office').fill('ALM01');
  await page.getByTestId('setup-desk').fill(desk);
  await page.getByTestId('setup-login').fill(login);
  await page.getByTestId('setup-name').fill(name);
  await page.getByTestId('setup-role').selectOption(role);
  await page.getByTestId('setup-save').click();
  await expect(page.getByTestId('topbar-user')).toHaveText(name);
}
