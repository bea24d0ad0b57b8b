import { expect, test, type Page } from '@playwright/test';
import { actAs, freshDesk } from './desk';
import { registerWheelchair } from './flow';

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
  const number = await registerWheelchair(page);

  // The head: the application waits for a resolution; the head names the executor.
  await actAs(page, 'bolat', 'Жұмабеков Болат', 'head');
  await openFromInbox(page, number);
  await expect(page.getByTestId('card-step')).toContainText('Басшы');
  await page.getByTestId('executor-login').fill('dana');
  await page.getByTestId('executor-name').fill('Омарова Дана');
  await page.getByTestId('do-resolution').click();
  await expect(page.getByTestId('card-step')).toContainText('Омарова Дана');
  // Nothing more for the head until the executor is done.
  await expect(page.getByTestId('do-signed')).toHaveCount(0);

  // The executor finds it in her inbox (assigned to her) and prepares the result.
  await actAs(page, 'dana', 'Омарова Дана', 'executor');
  await openFromInbox(page, number);
  await page.getByTestId('do-step-done').click();
  await expect(page.getByTestId('card-step')).toContainText('Басшы');

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
  await expect(page.getByTestId('attachment')).toContainText('Омарова Дана');
  await page.screenshot({ path: `${SHOTS}/card-closed-kk.png`, fullPage: true });

  // The inbox is empty again.
  await page.goto('./#/inbox');
  await expect(page.getByRole('heading', { level: 2, name: 'Кіріс бос' })).toBeVisible();
});
