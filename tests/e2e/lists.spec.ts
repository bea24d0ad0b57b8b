import { expect, test, type Page } from './fixtures';
import { actAs, freshDesk } from './desk';
import { register, service } from './flow';

const SHOTS = 'artifacts/screenshots';

/** dd.MM.yyyy of today and of a day ago in Kazakhstan time, as the date inputs take them. */
function kzDay(offsetDays = 0): string {
  const d = new Date(Date.now() + 5 * 3_600_000 + offsetDays * 86_400_000);
  return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
}

const numbers = (page: Page) => page.getByTestId('application-row').locator('span.mono');

test('applications and the inbox filter, sort and search, by any part of the number, and say when nothing is found', async ({
  page,
}) => {
  await freshDesk(page);
  await actAs(page, 'aigerim', 'Сейітова Айгерім', 'clerk');
  const wheelchair = 'almaty-disabled-wheelchair';
  const assistance = 'almaty-targeted-social-assistance';
  const first = await register(page, { serviceId: wheelchair, surname: 'Әлиев' });
  const second = await register(page, { serviceId: assistance, surname: 'Бекова' });
  const third = await register(page, { serviceId: wheelchair, id: '850315400025', surname: 'Нұрланова' });
  expect([first, second, third]).toEqual(['ALM01-D01-000001', 'ALM01-D01-000002', 'ALM01-D01-000003']);

  // Applications: newest first; any tail of a number finds it; an empty result says so.
  await page.goto('./#/applications');
  await expect(numbers(page)).toHaveCount(3);
  await expect(numbers(page).first()).toContainText(third);
  const search = page.getByTestId('application-search');
  await search.fill('000003');
  await expect(numbers(page)).toHaveCount(1);
  await expect(numbers(page).first()).toContainText(third);
  await search.fill('D01-000002');
  await expect(numbers(page)).toHaveCount(1);
  await expect(numbers(page).first()).toContainText(second);
  await search.fill('000009');
  await expect(page.getByTestId('nothing-found')).toHaveText('Сүзгілерге сай өтініш табылмады');
  await search.fill('');

  // Filters and order: by service, by number either way, by registration date range.
  await page.getByTestId('filter-serviceId').selectOption(wheelchair);
  await expect(numbers(page)).toHaveCount(2);
  await page.getByTestId('list-sort').selectOption('number');
  await expect(page.getByTestId('list-sort-direction')).toHaveAttribute('aria-pressed', 'true');
  await expect(numbers(page).first()).toContainText(third);
  await page.getByTestId('list-sort-direction').click();
  await expect(numbers(page).first()).toContainText(first);
  await page.getByTestId('filter-from').fill(kzDay());
  await page.getByTestId('filter-to').fill(kzDay());
  await expect(numbers(page)).toHaveCount(2);
  await page.getByTestId('filter-from').fill(kzDay(1));
  await page.getByTestId('filter-to').fill(kzDay(1));
  await expect(page.getByTestId('nothing-found')).toBeVisible();
  await page.getByTestId('filters-reset').click();
  await expect(numbers(page)).toHaveCount(3);

  // The head's inbox: searchable, filtered, and the filters are still there after a card.
  await actAs(page, 'bolat', 'Жұмабеков Болат', 'head');
  await page.goto('./#/inbox');
  const inbox = page.getByTestId('inbox-list');
  await expect(inbox.getByTestId('application-row')).toHaveCount(3);
  await page.getByTestId('inbox-search').fill('нұрланова');
  await expect(inbox.getByTestId('application-row')).toHaveCount(1);
  await expect(inbox.getByTestId('application-row')).toContainText(third);
  await page.getByTestId('inbox-search').fill('');
  await page.getByTestId('filter-serviceId').selectOption(assistance);
  await expect(inbox.getByTestId('application-row')).toHaveCount(1);
  await page.getByTestId('filter-stepKind').selectOption('assign');
  await page.getByTestId('filter-channel').selectOption('provider_office');
  await page.getByTestId('filter-status').selectOption('in_progress');
  await page.getByTestId('list-sort').selectOption('registered');
  await expect(inbox.getByTestId('application-row')).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/inbox-filters-kk.png` });
  await inbox.getByTestId('application-row').click();
  await expect(page.getByTestId('card-number')).toHaveText(second);
  await page.goto('./#/inbox');
  await expect(page.getByTestId('filter-serviceId')).toHaveValue(assistance);
  await expect(inbox.getByTestId('application-row')).toHaveCount(1);
  // Nothing of the assistance service is late: said so, not a blank table.
  await page.getByTestId('filter-overdue').check();
  await expect(page.getByTestId('nothing-found')).toBeVisible();
  await page.getByTestId('filter-overdue').uncheck();
  await page.getByTestId('lang-ru').click();
  await expect(page.getByTestId('filter-serviceId')).toContainText(service(assistance).names.ru);
  await page.screenshot({ path: `${SHOTS}/inbox-filters-ru.png` });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
