import { expect, test, type Page } from './fixtures';
import { freshDesk } from './desk';
import {
  actAsRole,
  appIdOf,
  expectCardAt,
  openCard,
  perform,
  plan,
  register,
  service,
  stateAfter,
  STAFF,
  chooseExecutor,
} from './flow';

const SHOTS = 'artifacts/screenshots';

/** Opens the application from this person's inbox, as they would. */
async function fromInbox(page: Page, number: string): Promise<void> {
  await page.goto('./#/inbox');
  await page.getByTestId('inbox-list').getByText(number).click();
  await expect(page.getByTestId('card-number')).toHaveText(number);
}

const inboxCount = (page: Page) => page.getByTestId('inbox-count');

/** What the page sent to the printer: the browser's print() is replaced to keep the print root's text. */
async function capturePrint(page: Page): Promise<() => Promise<string>> {
  await page.evaluate(() => {
    const w = window as unknown as { print: () => void; __printed: string[] };
    w.__printed = [];
    w.print = () => w.__printed.push(document.getElementById('kense-print-root')?.textContent ?? '');
  });
  return async () =>
    (await page.evaluate(() => (window as unknown as { __printed: string[] }).__printed.join('\n'))).replace(
      /\s+/g,
      ' ',
    );
}

test('(a) a foreign-labour permit in Kyzylorda goes through the commission and is handed to a proxy', async ({
  page,
}) => {
  await freshDesk(page);
  await actAsRole(page, 'clerk');
  const number = await register(page, { serviceId: 'fl-permit-kyzylorda', variantId: 'issue' });
  // The registration journal has the row at once.
  await page.goto('./#/journals');
  const journal = page.getByTestId('journal-table');
  await expect(journal.locator('tbody tr').filter({ hasText: number })).toContainText('«Құрылыс» ЖШС');

  // The head: one application waits for a resolution.
  await actAsRole(page, 'head');
  await expect(inboxCount(page)).toHaveText('1');
  await fromInbox(page, number);
  await expect(page.getByTestId('card-status')).toHaveText('Орындалуда');
  await expect(page.getByTestId('card-step')).toContainText('3. ');
  await chooseExecutor(page, STAFF.executor.login, STAFF.executor.name);
  await page.getByTestId('action-note').fill('Комиссияға дайындаңыз');
  await page.getByTestId('do-resolution').click();
  await expect(page.getByTestId('card-step')).toContainText(`4. `);
  await expect(page.getByTestId('card-step')).toContainText(STAFF.executor.name);
  await expect(page.getByTestId('timeline-resolution')).toContainText('Комиссияға дайындаңыз');
  await expect(inboxCount(page)).toHaveCount(0);

  // The executor reviews and sends it to the commission.
  await actAsRole(page, 'executor');
  await expect(inboxCount(page)).toHaveText('1');
  await fromInbox(page, number);
  await page.getByTestId('do-step-done').click();
  await expect(page.getByTestId('card-step')).toContainText('5. ');
  await expect(page.getByTestId('card-step')).toContainText('Комиссия');
  await expect(inboxCount(page)).toHaveCount(0);

  // The commission secretary records the recommendation from the minutes, in the queue.
  await actAsRole(page, 'commission');
  await expect(inboxCount(page)).toHaveText('1');
  await page.goto('./#/inbox');
  const queue = page.getByTestId('commission-queue');
  await expect(queue).toContainText(number);
  await queue.getByTestId('commission-select').check();
  await page.getByTestId('batch-date').fill('25.11.2026');
  await page.getByTestId('batch-minutes').fill('14/2');
  await page.getByTestId('batch-approve').click();
  await expect(page.getByTestId('batch-result')).toContainText('1');
  await expect(page.getByRole('heading', { level: 2, name: 'Кіріс бос' })).toBeVisible();
  await openCard(page, await appIdOf(page, number), number);
  await expect(page.getByTestId('card-status')).toContainText('оң шешім');
  await expect(page.getByTestId('timeline-commission_decision')).toContainText('25.11.2026');
  await expect(page.getByTestId('timeline-commission_decision')).toContainText('№ 14/2');

  // The executor prepares the permit; the head signs; the executor sends the notification.
  await actAsRole(page, 'executor');
  await fromInbox(page, number);
  await expect(page.getByTestId('card-step')).toContainText('6. ');
  await page.getByTestId('do-step-done').click();
  await expect(page.getByTestId('card-step')).toContainText('7. ');
  await actAsRole(page, 'head');
  await expect(inboxCount(page)).toHaveText('1');
  await fromInbox(page, number);
  await page.getByTestId('do-signed').click();
  await expect(page.getByTestId('card-step')).toContainText('8. ');
  await actAsRole(page, 'executor');
  await fromInbox(page, number);
  await page.getByTestId('do-step-done').click();

  // Waiting on the employer's fee receipts: the clerk's inbox shows it.
  await expect(page.getByTestId('card-status')).toContainText('Өтініш берушіні күтуде');
  await actAsRole(page, 'clerk');
  await expect(inboxCount(page)).toHaveText('1');
  await fromInbox(page, number);
  await expect(page.getByTestId('card-step')).toContainText('8a. ');
  await page.getByTestId('do-documents-received').click();
  await expect(page.getByTestId('card-step')).toContainText('8b. ');

  // Issue by proxy: the representative's details are required and checked as at reception.
  await page.getByTestId('issue-mode').selectOption('proxy');
  await expect(page.getByTestId('proxy-form')).toBeVisible();
  await page.getByTestId('do-issued').click();
  await expect(page.getByTestId('proxy-form')).toContainText('Толтыру міндетті');
  await page.getByTestId('proxy-fullName').fill('Нұрланова Гүлнар Асқарқызы');
  await page.getByTestId('proxy-iin').fill('850315400026');
  await expect(page.getByTestId('proxy-form').locator('.field-error').first()).toBeVisible();
  await page.getByTestId('do-issued').click();
  await expect(page.getByTestId('card-step')).toContainText('8b. ');
  await page.getByTestId('action-panel').screenshot({ path: `${SHOTS}/proxy-form-invalid-kk.png` });
  await page.getByTestId('proxy-iin').fill('850315400025');
  await page.getByTestId('proxy-poaNumber').fill('2-1547');
  await page.getByTestId('proxy-poaDate').fill('20.11.2026');
  await page.getByTestId('do-issued').click();

  await expect(page.getByTestId('card-status')).toHaveText('Жабылды · оң шешім');
  await expect(page.getByTestId('action-panel')).toHaveCount(0);
  const issued = page.getByTestId('timeline-issued');
  await expect(issued).toContainText('Сенімхат бойынша өкілге');
  await expect(issued).toContainText('Нұрланова Гүлнар Асқарқызы');
  await expect(issued).toContainText('850315400025');
  await expect(issued).toContainText('сенімхат № 2-1547, 20.11.2026');
  // The post-if-no-show steps did not apply once the permit was handed over.
  await expect(page.getByTestId('timeline')).toContainText('қажет болмады');
  await expect(inboxCount(page)).toHaveCount(0);
  await issued.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/card-issued-by-proxy-kk.png` });
});

test('(b) registering an unemployed citizen in Almaty, to closing', async ({ page }) => {
  const s = service('almaty-unemployed-registration');
  const events = plan(s, 'provider');
  await freshDesk(page);
  await actAsRole(page, 'clerk');
  const number = await register(page, { serviceId: s.id, variantId: 'provider', surname: 'Жұмабаева' });
  const appId = await appIdOf(page, number);
  // The clerk checks the registers, reviews and prepares (steps 2–5), then the head signs and the clerk issues.
  await expect(inboxCount(page)).toHaveText('1');
  for (let i = 1; i < events.length; i++) {
    const e = events[i];
    if (!e) break;
    const role = e.actor.role;
    await actAsRole(page, role);
    if (i === 1 || events[i - 1]?.actor.role !== role) await expect(inboxCount(page)).toHaveText('1');
    await openCard(page, appId, number);
    await perform(page, e);
    await expectCardAt(page, stateAfter(s, events, i + 1));
  }
  expect(events.map((e) => e.actor.role)).toContain('head');
  // No step decides here: the registration itself is the result (no refusal was recorded).
  await expect(page.getByTestId('card-status')).toHaveText('Жабылды');
  await expect(inboxCount(page)).toHaveCount(0);
  await actAsRole(page, 'head');
  await expect(inboxCount(page)).toHaveCount(0);
});

test('(c) a motivated refusal: the ground is on the card and in the printed notification', async ({ page }) => {
  const ground = 'Стандарттың 10-тармағының 2) тармақшасы: мүгедектігі туралы анықтама ұсынылмаған';
  await freshDesk(page);
  await actAsRole(page, 'clerk');
  const number = await register(page, { serviceId: 'almaty-disabled-wheelchair', surname: 'Омаров' });
  await actAsRole(page, 'head');
  await fromInbox(page, number);
  await chooseExecutor(page, STAFF.executor.login, STAFF.executor.name);
  await page.getByTestId('do-resolution').click();
  await expect(page.getByTestId('card-step')).toContainText(STAFF.executor.name);

  await actAsRole(page, 'executor');
  await fromInbox(page, number);
  // No refusal without its legal ground.
  await expect(page.getByTestId('do-step-refused')).toBeDisabled();
  await page.getByTestId('refusal-ground').fill(ground);
  await page.getByTestId('do-step-refused').click();
  await expect(page.getByTestId('card-status')).toContainText('бас тарту');
  await expect(page.getByTestId('card-ground')).toHaveText(ground);

  await actAsRole(page, 'head');
  await fromInbox(page, number);
  await expect(page.getByTestId('card-ground')).toHaveText(ground);
  await page.getByTestId('do-signed').click();
  await actAsRole(page, 'executor');
  await fromInbox(page, number);
  await page.getByTestId('do-issued').click();
  await expect(page.getByTestId('card-status')).toHaveText('Жабылды · бас тарту');
  await expect(page.getByTestId('timeline-step_done')).toContainText(ground);

  // The decision notification as printed: a refusal, with the ground in words.
  const printed = await capturePrint(page);
  await page.getByTestId('reprint').getByTestId('print-notification').click();
  await expect(page.getByTestId('reprint')).toContainText('Басып шығаруға жіберілді');
  const text = await printed();
  expect(text).toContain(number);
  // (The headings are capitalised by CSS; the text is what the page holds.)
  expect(text).toContain('Мемлекеттік қызмет көрсетуден бас тартылды');
  expect(text).toContain('Отказано в оказании государственной услуги');
  expect(text).toContain('Дәлелді бас тарту');
  expect(text).toContain(ground);
  expect(text.toLowerCase()).not.toContain('оң шешім қабылданды');
});

test('(d) the employer misses the 20-working-day window for guarantee documents: closed as not supplied', async ({
  page,
}) => {
  // Monday 23 November 2026, 10:00 in Almaty; the fake clock runs on from there.
  await page.clock.install({ time: new Date('2026-11-23T10:00:00+05:00') });
  const s = service('fl-permit-wko');
  const wait = s.variants[0]?.steps.find((x) => x.kind === 'applicant_wait');
  expect(wait?.norm).toMatchObject({ value: 20, unit: 'working_days' });
  expect(wait?.onExpire).toBe('close_not_supplied');
  const events = plan(s, 'employer-issue');
  await freshDesk(page);
  await actAsRole(page, 'clerk');
  // A second application that waits on the clerk: an unemployed person's registration (5 working days).
  const other = await register(page, { serviceId: 'almaty-unemployed-registration', surname: 'Бекова' });
  const number = await register(page, { serviceId: s.id, variantId: 'employer-issue' });
  const appId = await appIdOf(page, number);
  // Resolution, review, the commission's decision and the notification, up to the wait.
  let i = 1;
  for (; events[i] && events[i]?.kind !== 'documents_received'; i++) {
    await actAsRole(page, events[i]!.actor.role);
    await openCard(page, appId, number);
    await perform(page, events[i]!);
    await expectCardAt(page, stateAfter(s, events, i + 1));
  }
  await actAsRole(page, 'clerk');
  await fromInbox(page, number);
  await expect(page.getByTestId('card-status')).toHaveText('Өтініш берушіні күтуде · оң шешім');
  await expect(page.getByTestId('card-step')).toContainText(`${wait?.n}. `);
  // 20 working days from Monday 23 November 2026 (no holidays until 16 December): the window
  // ends on Tuesday 22 December, 18:00, after Independence Day (16–17 December).
  await expect(page.getByTestId('card-step-due')).toHaveText('22.12.2026 18:00');
  await expect(page.getByTestId('do-wait-expired')).toBeDisabled();

  // Six weeks later, nobody came. The screen notices without a reload (the minute clock ticks).
  await page.clock.setSystemTime(new Date('2027-01-05T10:00:00+05:00'));
  await page.clock.runFor(61_000);
  await expect(page.getByTestId('card-step-due')).toHaveClass(/bad/);
  await expect(page.getByTestId('card-step-due')).toContainText('мерзімі өтті');
  await page.goto('./#/inbox');
  const row = page.getByTestId('application-row').filter({ hasText: number });
  await expect(row).toHaveClass(/overdue/);
  await expect(row.getByTestId('time-left')).toContainText('кешікті');
  // The permit's own 41 working days have not run out: only its step is late.
  await expect(row.getByTestId('row-overdue')).toHaveCount(0);
  const late = page.getByTestId('application-row').filter({ hasText: other });
  await expect(late).toHaveClass(/overdue/);
  await expect(late.getByTestId('row-overdue')).toHaveText('мерзімі өтті');
  await expect(inboxCount(page)).toHaveText('2');
  await expect(inboxCount(page)).toHaveClass(/overdue/);
  await page.mouse.move(0, 700);
  await page.screenshot({ path: `${SHOTS}/inbox-overdue-kk.png` });

  // The regulation's outcome: closed as "documents not supplied".
  await row.click();
  await page.getByTestId('do-wait-expired').click();
  await expect(page.getByTestId('card-status')).toContainText('Құжаттар ұсынылмады');
  await expect(page.getByTestId('timeline')).toContainText('мерзімі өтті');
  await expect(page.getByTestId('action-panel')).toHaveCount(0);
  await expect(inboxCount(page)).toHaveText('1');
});
