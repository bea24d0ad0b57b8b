import { expect, test, type Page } from './fixtures';
import { actAs, freshDesk } from './desk';
import { chooseExecutor } from './flow';

async function card(page: Page, number: string): Promise<void> {
  await page.goto('./#/applications');
  await page.getByTestId('application-list').getByText(number).click();
  await expect(page.getByTestId('card-number')).toHaveText(number);
}

test('the commission secretary records one decision for several applications from the minutes', async ({ page }) => {
  await freshDesk(page);
  await actAs(page, 'aigerim', 'Сейітова Айгерім', 'clerk');
  const numbers: string[] = [];
  for (const [bin, title] of [
    ['940140000385', '«Құрылыс» ЖШС'],
    ['940140000385', '«Құрылыс» ЖШС'],
  ]) {
    await page.goto('./#/reception');
    if (await page.getByTestId('next-application').count()) await page.getByTestId('next-application').click();
    await page.getByTestId('applicant-id').fill(bin ?? '');
    await page.getByTestId('entity-title').fill(title ?? '');
    await page.getByTestId('service-search').fill('рұқсат батыс');
    await page.keyboard.press('Enter');
    await page.getByTestId('variant').selectOption('employer-issue');
    await page.getByTestId('all-received').click();
    await page.getByTestId('register').click();
    numbers.push((await page.getByTestId('reg-number').textContent()) ?? '');
  }
  await actAs(page, 'bolat', 'Жұмабеков Болат', 'head');
  for (const n of numbers) {
    await card(page, n);
    await chooseExecutor(page, 'dana', 'Омарова Дана');
    await page.getByTestId('do-resolution').click();
    await expect(page.getByTestId('card-step')).toContainText('Омарова Дана');
  }
  await actAs(page, 'dana', 'Омарова Дана', 'executor');
  for (const n of numbers) {
    await card(page, n);
    await page.getByTestId('do-step-done').click();
    await expect(page.getByTestId('card-step')).toContainText('Комиссия');
    // The commission's step names no executor.
    await expect(page.getByTestId('card-step')).not.toContainText('Омарова Дана');
  }

  await actAs(page, 'ermek', 'Қасымов Ермек', 'commission');
  await expect(page.getByTestId('inbox-count')).toHaveText('2');
  await page.goto('./#/inbox');
  const queue = page.getByTestId('commission-queue');
  await expect(queue.getByTestId('commission-select')).toHaveCount(2);
  await queue.getByTestId('commission-select').first().check();
  await queue.getByTestId('commission-select').last().check();
  await page.getByTestId('batch-date').fill('25.11.2026');
  await page.getByTestId('batch-minutes').fill('14');
  // The agenda on paper: the office, the protocol, its date, the members who sign; as the job's
  // sheet goes to window.print in browser mode (which never returns in headless Chromium).
  await page.evaluate(() => {
    const w = window as unknown as { __agenda: { text: string; links: number }[] };
    w.__agenda = [];
    window.print = () => {
      const sheet = document.querySelector('#kense-print-root > .print-slot[data-job] .print-sheet');
      w.__agenda.push({ text: sheet?.textContent ?? '', links: sheet?.querySelectorAll('a').length ?? -1 });
    };
  });
  await page.getByTestId('print-agenda').click();
  await expect(page.getByTestId('agenda-printed')).toHaveText('Басып шығаруға жіберілді');
  const [agenda] = await page.evaluate(
    () => (window as unknown as { __agenda: { text: string; links: number }[] }).__agenda,
  );
  expect(agenda?.links).toBe(0);
  for (const part of [
    'Комиссия отырысының күн тәртібі',
    'Мекеме: ALM01',
    '№ 14',
    '25.11.2026',
    'Қасымов Ермек',
    'қолы',
  ])
    expect(agenda?.text).toContain(part);
  for (const n of numbers) expect(agenda?.text).toContain(n);
  await page.getByTestId('batch-approve').click();
  await expect(page.getByTestId('batch-result')).toContainText('2');
  for (const n of numbers) {
    await card(page, n);
    await expect(page.getByTestId('card-status')).toContainText('оң шешім');
    await expect(page.getByTestId('timeline')).toContainText('Қасымов Ермек');
  }
  // The timeline in Russian: the norms in Russian too, though this regulation was read from its
  // Kazakh text («20 (жиырма) минут ішінде»).
  await page.getByTestId('lang-ru').click();
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toContainText('норма: 20 мин');
  await expect(timeline).toContainText('норма: 15 рабочих дней');
  await expect(timeline).not.toContainText('ішінде');
  await page.getByTestId('lang-kk').click();
});
