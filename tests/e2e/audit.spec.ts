import { expect, test } from './fixtures';
import { actAs, freshDesk } from './desk';
import { registerWheelchair, chooseExecutor } from './flow';

const SHOTS = 'artifacts/screenshots';

test('the card shows who did what where, and the integrity check catches an event edited in the local replica', async ({
  page,
}) => {
  await freshDesk(page);
  await actAs(page, 'aigerim', 'Сейітова Айгерім', 'clerk');
  const number = await registerWheelchair(page);

  await actAs(page, 'bolat', 'Жұмабеков Болат', 'head');
  await page.goto('./#/inbox');
  await page.getByTestId('inbox-list').getByText(number).click();
  await chooseExecutor(page, 'dana', 'Омарова Дана');
  await page.getByTestId('do-resolution').click();
  await expect(page.getByTestId('card-step')).toContainText('Омарова Дана');

  // The audit trail: each event with who, role, device and time, and its place in the chain.
  const trail = page.getByTestId('audit-trail');
  const rows = trail.getByTestId('audit-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('Сейітова Айгерім');
  await expect(rows.nth(0)).toContainText('Кеңсе қызметкері');
  await expect(rows.nth(0)).toContainText('#1');
  await expect(rows.nth(1)).toContainText('Жұмабеков Болат');
  await expect(rows.nth(1)).toContainText('Басшы');
  await expect(rows.nth(1)).toContainText('#2');
  // The desk as people know it (D01), not the device id.
  await expect(rows.nth(0).getByTestId('audit-desk')).toHaveText('D01');
  await expect(rows.nth(1).getByTestId('audit-desk')).toHaveText('D01');
  await expect(rows.nth(0).getByTestId('chain-badge')).toHaveText('тексерілмеген');
  await trail.getByTestId('integrity-run').click();
  await expect(trail.getByTestId('integrity-result')).toHaveAttribute('data-ok', 'true');
  await expect(trail.getByTestId('integrity-result')).toContainText('Бұзушылық табылмады');
  await expect(rows.nth(0).getByTestId('chain-badge')).toHaveText('тізбек бүтін');
  await trail.scrollIntoViewIfNeeded();
  await trail.screenshot({ path: `${SHOTS}/audit-card-trail.png` });

  // Someone with the laptop backdates the head's resolution in the replica's IndexedDB directly.
  const appUrl = page.url();
  const appId = decodeURIComponent(appUrl.split('/applications/')[1] ?? '');
  const editedId = await page.evaluate(async (app) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('_pouch_office_alm01');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(new Error('open'));
    });
    const store = db.transaction('docs', 'readwrite').objectStore('docs');
    const all = await new Promise<
      {
        id: string;
        rev: string;
        data: Record<string, unknown>;
        revs: Record<string, { data: Record<string, unknown> }>;
      }[]
    >((resolve) => {
      const r = store.getAll();
      r.onsuccess = () => resolve(r.result as never);
    });
    const reg = all.find((d) => d.id.startsWith(`evt:${app}:`) && d.revs[d.rev]?.data['kind'] === 'resolution');
    if (!reg) throw new Error('no resolution');
    // The payload is sealed (encryption at rest): what can be changed in place are the clear fields.
    for (const data of [reg.revs[reg.rev]?.data, reg.data]) if (data) data['at'] = '2020-01-01T09:00:00.000Z';
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('docs', 'readwrite');
      tx.objectStore('docs').put(reg);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(new Error('put'));
    });
    db.close();
    return reg.id;
  }, appId);

  await page.goto('./#/audit');
  const check = page.getByTestId('audit-integrity');
  await check.getByTestId('integrity-run').click();
  const result = check.getByTestId('integrity-result');
  await expect(result).toHaveAttribute('data-ok', 'false');
  // Named twice: its content no longer matches the digest its id carries, nor the next link's hash.
  await expect(result).toContainText('2 бұзушылық табылды');
  const findings = result.getByTestId('finding');
  await expect(findings).toHaveCount(2);
  for (const f of await findings.all()) {
    await expect(f).toHaveAttribute('data-kind', 'edited');
    await expect(f).toContainText('Өзгертілген');
    await expect(f).toContainText(editedId);
  }
  await expect(findings.nth(0)).toContainText('идентификаторына сәйкес келмейтін');
  const finding = findings.nth(1);

  // The user's actions over the month: the clerk's registration, with its chain badge. (The head's
  // edited resolution no longer carries the content its id names: it is nobody's action any more.)
  await page.getByTestId('user-login').fill('aigerim');
  await page.getByTestId('user-show').click();
  await expect(page.getByTestId('user-row')).toHaveCount(1);
  await expect(page.getByTestId('user-row')).toContainText('Тіркелді');
  await expect(page.getByTestId('user-row')).toContainText(number);
  await page.getByTestId('user-login').fill('bolat');
  await page.getByTestId('user-show').click();
  await expect(page.getByTestId('user-row')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/audit-integrity-tampered.png`, fullPage: true });

  // Back on the card, the edited event carries the verdict.
  await finding.getByRole('link', { name: editedId }).click();
  // The trail still lists it, marked; the fold no longer counts it: the head's resolution is to do.
  await expect(page.getByTestId('audit-trail').getByTestId('audit-row').nth(1).getByTestId('chain-badge')).toHaveText(
    'бұзылған',
  );
  await expect(page.getByTestId('audit-trail').getByTestId('audit-row').nth(0).getByTestId('chain-badge')).toHaveText(
    'тізбек бүтін',
  );
  await expect(page.getByTestId('card-step')).not.toContainText('Омарова Дана');
  await page.getByTestId('audit-trail').screenshot({ path: `${SHOTS}/audit-card-tampered.png` });
});
