import { expect, test, type Page } from './fixtures';
import { DEV_ADMIN } from '../../server/dev/central';
import { actAs, CENTRAL, ensureStaff, freshDesk } from './desk';

/**
 * Regulations as managed data: a catalogue administrator publishes a new service version, the 2028
 * working calendar and the office's profile on central; another desk, built the same, uses them
 * after sync. And a desk that has no 2028 calendar says so where a deadline reaches into 2028.
 */
const adminAuth = 'Basic ' + Buffer.from(`${DEV_ADMIN.user}:${DEV_ADMIN.password}`).toString('base64');
const PUBLISHED = ['service:almaty-disabled-sanatorium:2', 'calendar:2028', 'office:ALM01'];
/** Monday 20 December 2027, 10:00 in Almaty: ten or twelve working days reach into January 2028. */
const DEC_2027 = new Date('2027-12-20T10:00:00+05:00');

async function central(method: string, id: string): Promise<Response> {
  return fetch(`${CENTRAL}/catalog/${encodeURIComponent(id)}`, { method, headers: { authorization: adminAuth } });
}

/** What this spec publishes leaves central again: the other specs run on the seed. */
async function unpublish(): Promise<void> {
  for (const id of PUBLISHED) {
    const r = await central('GET', id);
    if (!r.ok) continue;
    const { _rev } = (await r.json()) as { _rev: string };
    await fetch(`${CENTRAL}/catalog/${encodeURIComponent(id)}?rev=${_rev}`, {
      method: 'DELETE',
      headers: { authorization: adminAuth },
    });
  }
}

test.beforeAll(unpublish);
test.afterAll(unpublish);

async function registerAtReception(page: Page, search: string): Promise<void> {
  await page.goto('./#/reception');
  if (await page.getByTestId('next-application').count()) await page.getByTestId('next-application').click();
  await page.getByTestId('applicant-id').fill('900101300017');
  await page.getByTestId('person-surname').fill('Сейітқали');
  await page.getByTestId('person-name').fill('Әлия');
  await page.getByTestId('service-search').fill(search);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('chosen-service')).toBeVisible();
  await page.getByTestId('all-received').click();
}

test('a desk with no 2028 calendar says so on the due dates and goes on working; administrators are warned', async ({
  page,
}) => {
  await page.clock.install({ time: DEC_2027 });
  await freshDesk(page);
  await actAs(page, 'aigerim', 'Сейітова Айгерім');
  // The wheelchair service: 10 working days from Monday 20 December 2027 end in January 2028.
  await registerAtReception(page, 'кресло');
  await expect(page.getByTestId('result-due')).toHaveText('2028 жылғы жұмыс күнтізбесі жарияланбаған');
  await page.getByTestId('register').click();
  await expect(page.getByTestId('reg-number')).toHaveText('ALM01-D01-000001');
  await expect(page.getByTestId('done-due')).toHaveText('2028 жылғы жұмыс күнтізбесі жарияланбаған');
  await expect(page.getByTestId('print-receipt')).toBeVisible();

  await page.goto('./#/applications');
  const row = page.getByTestId('application-row').filter({ hasText: 'ALM01-D01-000001' });
  await expect(row.getByTestId('row-calendar-missing')).toHaveText('2028 жылғы жұмыс күнтізбесі жарияланбаған');
  await row.click();
  await expect(page.getByTestId('card-due')).toHaveText('2028 жылғы жұмыс күнтізбесі жарияланбаған');
  await expect(page.getByTestId('card-calendar-missing')).toContainText('2028');
  // Its own path on the diagram: registered, now at the head's resolution.
  const path = page.getByTestId('application-path');
  await expect(path.locator('[data-node="step:s3"]')).toHaveAttribute('data-status', 'current');
  await path.screenshot({ path: 'artifacts/screenshots/card-path-kk.png' });
  // Everything else works: the head resolves it.
  await actAs(page, 'bolat', 'Жұмабеков Болат', 'head');
  await page.goto('./#/inbox');
  await expect(page.getByTestId('inbox-list').getByText('ALM01-D01-000001')).toBeVisible();
  await page.goto('./#/journals');
  await expect(page.getByTestId('journal-table')).toContainText('2028 жылғы жұмыс күнтізбесі жарияланбаған');

  // A catalogue administrator is told twelve days before 2028 begins.
  await actAs(page, 'saule', 'Серікова Сәуле', 'catalog_admin');
  await page.goto('./#/catalogue');
  await expect(page.getByTestId('calendar-warning')).toContainText('2028');
  await expect(page.getByTestId('calendar-warning')).toContainText('12');
  await page.screenshot({ path: 'artifacts/screenshots/calendar-warning-kk.png' });
});

test('a catalogue administrator publishes a service version, the 2028 calendar and the office profile; another desk uses them after sync', async ({
  page,
  newDesk,
}) => {
  test.setTimeout(150_000);
  await freshDesk(page);
  await ensureStaff('saule', 'Серікова Сәуле', 'catalog_admin');
  await actAs(page, 'saule', 'Серікова Сәуле', 'catalog_admin');
  await page.getByTestId('lang-ru').click();
  await page.goto('./#/catalogue/admin');

  // Version 2 of the sanatorium service (004/10): 12 working days instead of 10.
  await page.getByTestId('admin-open').selectOption('s:almaty-disabled-sanatorium@1');
  const editor = page.getByTestId('admin-json');
  const v1 = JSON.parse(await editor.inputValue()) as Record<string, unknown> & {
    variants: { deadline: Record<string, unknown> }[];
  };
  // A mistake first: the schema names it, in the UI language, with the variant by its id.
  const broken = structuredClone(v1);
  broken.variants[0]!.deadline = { value: 12, unit: 'weeks' };
  await editor.fill(JSON.stringify({ ...broken, version: '2' }, null, 2));
  await page.getByTestId('admin-check').click();
  await expect(page.getByTestId('issue-list')).toContainText('variants › provider › deadline › unit');
  await expect(page.getByTestId('issue-list')).toContainText('допустимые значения');
  // Editing version 1 in place is refused: applications may be registered under it.
  await editor.fill(JSON.stringify({ ...v1, ambiguities: [] }, null, 2));
  await page.getByTestId('admin-publish').click();
  await expect(page.getByTestId('issue-list')).toContainText('Содержание опубликованной версии не меняется');

  const v2 = structuredClone(v1);
  v2.variants[0]!.deadline = { value: 12, unit: 'working_days', text: 'в течение 12 (двенадцати) рабочих дней' };
  await editor.fill(
    JSON.stringify(
      {
        ...v2,
        version: '2',
        validTo: null,
        changes: { kk: 'Мерзімі 12 жұмыс күні', ru: 'Срок 12 рабочих дней' },
      },
      null,
      2,
    ),
  );
  await page.getByTestId('admin-check').click();
  await expect(page.getByTestId('admin-valid')).toBeVisible();
  await expect(page.getByTestId('admin-preview').getByTestId('process-diagram')).toBeVisible();
  await page.getByTestId('admin-valid-from').fill('01.01.2026');
  await page.getByTestId('admin-publish').click();
  await expect(page.getByTestId('admin-message')).toHaveText('Опубликовано: service:almaty-disabled-sanatorium:2');

  // The office profile: ALM01 acts for Almaty's department and its district departments.
  await page.getByTestId('admin-type').selectOption('office');
  await editor.fill(
    JSON.stringify({
      code: 'ALM01',
      names: { kk: 'Алмалы аудандық бөлімі', ru: 'Алмалинский районный отдел' },
      region: 'almaty_city',
      providers: ['almaty-uzsp', 'almaty-uzsp-district'],
      channels: ['provider_office', 'con', 'portal', 'home_visit'],
      hours: { days: [1, 2, 3, 4, 5], open: '09:00', close: '18:00', lunch: { from: '13:00', to: '14:00' } },
    }),
  );
  await page.getByTestId('admin-publish-office').click();
  await expect(page.getByTestId('admin-message')).toHaveText('Опубликовано: office:ALM01');

  // The 2028 calendar: the statutory holidays, a transfer by decree, Kurban Ait estimated.
  await page.goto('./#/catalogue/calendar');
  await page.getByTestId('calendar-new-year').click();
  await expect(page.getByTestId('calendar-year-input')).toHaveValue('2028');
  await page.getByTestId('add-transfer').click();
  await page.getByTestId('transfer-days-off').fill('10.03.2028');
  await page.getByTestId('transfer-working-days').fill('18.03.2028');
  // Without the decree's reference the year is refused, the problem named.
  await page.getByTestId('calendar-publish').click();
  await expect(page.getByTestId('issue-list')).toContainText('transfers › 0 › source');
  await page.getByTestId('transfer-source').fill('Постановление Правительства РК от 01.12.2027 № 999 (тест)');
  await page.getByTestId('add-holiday').click();
  const kurban = page.getByTestId('holiday-row').last();
  await kurban.locator('input').nth(0).fill('05.05.2028');
  await kurban.locator('input').nth(1).fill('kurban_ait');
  await kurban.locator('input').nth(2).fill('Құрбан айт');
  await kurban.locator('input').nth(3).fill('Курбан айт');
  await kurban.locator('input[type=checkbox]').nth(0).uncheck();
  await page.getByTestId('calendar-publish').click();
  await expect(page.getByTestId('non-working-days')).toContainText('10.03.2028');
  await expect(page.getByTestId('calendar-year')).toContainText('≈');
  await page.screenshot({ path: 'artifacts/screenshots/calendar-2028-ru.png' });

  // On central, by the administrator's push (not by this test).
  await expect
    .poll(async () => (await Promise.all(PUBLISHED.map((id) => central('GET', id)))).map((r) => r.status), {
      timeout: 30_000,
    })
    .toEqual([200, 200, 200]);

  // Another desk, in December 2027: pulls them, and uses them without a new build.
  const other = await newDesk();
  await other.clock.install({ time: DEC_2027 });
  await freshDesk(other);
  await actAs(other, 'dana', 'Омарова Дана', 'clerk', 'D02');
  await other.goto('./#/catalogue/service/almaty-disabled-sanatorium');
  await expect(other.getByTestId('version-2')).toBeVisible({ timeout: 30_000 });
  // The office offers only what its providers give: no Kyzylorda permit at Almaty's reception.
  await other.goto('./#/reception');
  await other.getByTestId('service-search').fill('Қызылорда облысы рұқсат');
  await expect(other.locator('[id="svc-fl-permit-kyzylorda"]')).toHaveCount(0);
  await expect(other.getByTestId('no-office-profile')).toHaveCount(0);
  await registerAtReception(other, 'санатор');
  // Version 2's 12 working days from Mon 20 Dec 2027, on the 2028 calendar: 21–24, 27–31 Dec (9);
  // 1–2 January fall on Sat–Sun, so Mon 3 and Tue 4 are off; 5, 6 January (11); 7 January is
  // Orthodox Christmas; Mon 10 January (12).
  await expect(other.getByTestId('result-due')).toContainText('10.01.2028 18:00');
  await other.getByTestId('register').click();
  await expect(other.getByTestId('reg-number')).toHaveText('ALM01-D02-000001');
  await expect(other.getByTestId('done-due')).toHaveText('10.01.2028 18:00');
});
