import { expect, test, type Page } from './fixtures';
import { makeEvent, parseHlc, tickHlc } from '../../shared/events';
import { DEV_ADMIN } from '../../server/dev/central';
import { actAs, CENTRAL, freshDesk, OFFICE, putDirectoryEntry } from './desk';
import { appIdOf, chooseExecutor, registerWheelchair } from './flow';

const SHOTS = 'artifacts/screenshots';

async function openFromInbox(page: Page, number: string): Promise<void> {
  await page.goto('./#/inbox');
  await page.getByTestId('inbox-list').getByText(number).click();
  await expect(page.getByTestId('card-number')).toHaveText(number);
}

test('an application goes from the clerk to the head, the executor, back to the head and out again', async ({
  page,
}) => {
  await freshDesk(page);
  await actAs(page, 'aigerim', 'Сейітова Айгерім', 'clerk');
  // Each role lands where it works: the clerk at reception, the head and the executor in the inbox.
  await expect(page).toHaveURL(/#\/reception$/);
  const number = await registerWheelchair(page);

  // The head: the application waits for a resolution; the head names the executor.
  await actAs(page, 'bolat', 'Жұмабеков Болат', 'head');
  await expect(page).toHaveURL(/#\/inbox$/);
  await expect(page.getByTestId('inbox-list')).toContainText(number);
  await openFromInbox(page, number);
  await expect(page.getByTestId('card-step')).toContainText('Басшы');
  await chooseExecutor(page, 'dana', 'Омарова Дана');
  await page.getByTestId('do-resolution').click();
  await expect(page.getByTestId('card-step')).toContainText('Омарова Дана');
  // Nothing more for the head until the executor is done.
  await expect(page.getByTestId('do-signed')).toHaveCount(0);

  // The executor finds it in her inbox (assigned to her) and prepares the result.
  await actAs(page, 'dana', 'Омарова Дана', 'executor');
  await openFromInbox(page, number);
  await page.getByTestId('do-step-done').click();
  await expect(page.getByTestId('card-step')).toContainText('Басшы');
  // The head's signature is his step: the executor is not named on it.
  await expect(page.getByTestId('card-step')).not.toContainText('Омарова Дана');

  // The head returns it for rework once, then signs.
  await actAs(page, 'bolat', 'Жұмабеков Болат', 'head');
  await openFromInbox(page, number);
  await page.getByTestId('action-note').fill('Мерзімдерді нақтылаңыз');
  await page.getByTestId('do-returned').click();
  await expect(page.getByTestId('timeline')).toContainText('пысықтауға қайтарылды');
  await actAs(page, 'dana', 'Омарова Дана', 'executor');
  await openFromInbox(page, number);
  await page.getByTestId('do-step-done').click();
  await actAs(page, 'bolat', 'Жұмабеков Болат', 'head');
  await openFromInbox(page, number);
  await page.getByTestId('do-signed').click();

  // The executor hands the notification to the applicant: the application is closed.
  await actAs(page, 'dana', 'Омарова Дана', 'executor');
  await openFromInbox(page, number);
  await page.getByTestId('do-issued').click();
  await expect(page.getByTestId('card-status')).toContainText('Жабылды');
  await expect(page.getByTestId('action-panel')).toHaveCount(0);
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toContainText('Омарова Дана');
  await expect(timeline).toContainText('Жұмабеков Болат');
  // The ticket and receipt can be printed again from the card.
  await expect(page.getByTestId('reprint').getByTestId('print-ticket')).toBeVisible();
  await expect(page.getByTestId('reprint').getByTestId('print-receipt')).toBeVisible();
  // The decision notification and the cover letter, built from the application, print (A4).
  await page.getByTestId('reprint').getByTestId('print-notification').click();
  await expect(page.getByTestId('reprint')).toContainText('Басып шығаруға жіберілді');
  await expect(page.getByTestId('reprint').getByTestId('print-coverLetter')).toBeVisible();
  // A scan added to the file, even after closing: downscaled to JPEG, shown with who added it.
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
    'base64',
  );
  await page
    .getByTestId('attachment-input')
    .setInputFiles({ name: 'passport.png', mimeType: 'image/png', buffer: png });
  await expect(page.getByTestId('attachment')).toContainText('passport.jpg');
  // The size in the UI language; the browser's own "Choose File" is not shown.
  await expect(page.getByTestId('attachment')).toContainText(/\d КБ ·/);
  await expect(page.getByTestId('attachment-input')).toHaveClass(/visually-hidden/);
  await expect(page.getByTestId('attachments')).toContainText('Скан, фото немесе PDF қосу');
  await expect(page.getByTestId('attachment')).toContainText('Омарова Дана');
  await page.screenshot({ path: `${SHOTS}/card-closed-kk.png`, fullPage: true });

  // The inbox is empty again.
  await page.goto('./#/inbox');
  await expect(page.getByRole('heading', { level: 2, name: 'Кіріс бос' })).toBeVisible();
});

/**
 * The office's staff directory decides who can be given an application: the head picks from it,
 * and an assignment to someone unknown that still arrives (typed on an older desk) is never lost.
 */
test('the head picks the executor from the staff; an unknown one from an older desk lands back with the head', async ({
  page,
}) => {
  await freshDesk(page);
  await putDirectoryEntry('dana', 'Омарова Дана', 'executor');
  await putDirectoryEntry('asel', 'Серікова Әсел', 'executor');
  await putDirectoryEntry('kairat', 'Кеткенов Қайрат', 'executor', false);
  await actAs(page, 'aigerim', 'Сейітова Айгерім', 'clerk');
  const first = await registerWheelchair(page);
  const second = await registerWheelchair(page);
  const secondId = await appIdOf(page, second);

  await actAs(page, 'bolat', 'Жұмабеков Болат', 'head');
  await openFromInbox(page, first);
  const search = page.getByTestId('executor-search');
  // Kazakh letters typed on a Russian keyboard find «Серікова Әсел»; the workload shows.
  await search.fill('Сериков');
  await expect(page.getByTestId('executor-option')).toHaveCount(1);
  await expect(page.getByTestId('executor-option')).toContainText('Серікова Әсел');
  await expect(page.getByTestId('executor-option')).toContainText('ашық өтініш жоқ');
  // A deactivated executor is not offered; a name nobody has says so.
  await search.fill('Кеткенов');
  await expect(page.getByTestId('executor-none')).toHaveText('Ештеңе табылмады');
  await search.fill('');
  await expect(page.locator('[data-testid="executor-option"][data-login="kairat"]')).toHaveCount(0);
  await expect(page.locator('[data-testid="executor-option"][data-login="dana"]')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/staff-picker-kk.png` });
  await page.locator('[data-testid="executor-option"][data-login="dana"]').click();
  await expect(page.getByTestId('executor-chosen')).toContainText('dana');
  await page.getByTestId('do-resolution').click();
  await expect(page.getByTestId('card-step')).toContainText('Омарова Дана');

  // An older desk, where the login was typed, assigns the second application to "danaa".
  await writeFromOlderDesk(secondId, 'danaa');
  await page.goto('./#/inbox');
  const row = page.getByTestId('application-row').filter({ hasText: second });
  await expect(row.getByTestId('row-executor-unknown')).toContainText('danaa', { timeout: 15_000 });
  await row.click();
  await expect(page.getByTestId('executor-unknown')).toContainText('орындаушы белгісіз (danaa)');
  await page.screenshot({ path: `${SHOTS}/executor-unknown-kk.png`, fullPage: true });
  // The head routes it again, to someone in the directory: it leaves his inbox.
  await chooseExecutor(page, 'asel', 'Серікова Әсел');
  await page.getByTestId('do-reassigned').click();
  await expect(page.getByTestId('executor-unknown')).toHaveCount(0);
  await expect(page.getByTestId('card-step')).toContainText('Серікова Әсел');
  await page.goto('./#/inbox');
  await expect(page.getByTestId('application-row').filter({ hasText: second })).toHaveCount(0);
});

/** A resolution written into central as it comes from a desk that took a typed login. */
async function writeFromOlderDesk(appId: string, executor: string): Promise<void> {
  const db = `${CENTRAL}/office_${OFFICE.toLowerCase()}`;
  const auth = { authorization: 'Basic ' + Buffer.from(`${DEV_ADMIN.user}:${DEV_ADMIN.password}`).toString('base64') };
  const r = await fetch(`${db}/_all_docs?include_docs=true&startkey="evt:${appId}:"&endkey="evt:${appId}:\ufff0"`, {
    headers: auth,
  });
  const events = ((await r.json()) as { rows: { doc: { hlc: string } }[] }).rows.map((x) => x.doc);
  const last = parseHlc(events[events.length - 1]?.hlc ?? '');
  const now = Date.now();
  const event = makeEvent({
    kind: 'resolution',
    appId,
    office: OFFICE,
    device: 'OLD0DESK0001',
    clock: tickHlc(last, now),
    now,
    actor: { login: 'bolat', role: 'head', name: 'Жұмабеков Болат' },
    payload: { stepId: 's3', executor, executorName: 'Омарова Дана' },
  });
  const put = await fetch(`${db}/${encodeURIComponent(event._id)}`, {
    method: 'PUT',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(event),
  });
  expect(put.status).toBe(201);
}
