import { expect, test } from './fixtures';
import type { StaffRole } from '../../shared/events';
import { freshDesk } from './desk';
import {
  actAsRole,
  appIdOf,
  catalogue,
  expectCardAt,
  openCard,
  perform,
  plan,
  register,
  roleOf,
  stateAfter,
} from './flow';

/**
 * Every seed service's main variant (the first), from registration to closing, in the UI of one
 * desk. The engine's `drive` says which action comes next; each is clicked on the card. To keep
 * role switches few, the walk goes round the roles and, for each, does every application's steps
 * that wait for that role.
 */
test('every seed service’s main variant is taken from registration to closing in the UI', async ({ page }) => {
  test.setTimeout(240_000);
  const ids = [...new Set(catalogue.services.map((s) => s.id))];
  expect(ids).toHaveLength(21);
  await freshDesk(page);
  await actAsRole(page, 'clerk');

  const apps = [];
  for (const id of ids) {
    const s = catalogue.get(id);
    if (!s) throw new Error(id);
    const variant = s.variants[0];
    if (!variant) throw new Error(`${id} has no variant`);
    const number = await register(page, { serviceId: id, variantId: variant.id });
    const events = plan(s, variant.id);
    // The plan must itself close the application, or the service cannot be closed at all.
    expect(stateAfter(s, events, events.length).status, id).toBe('closed');
    apps.push({ id, s, number, appId: '', events, done: 1 });
  }
  for (const a of apps) a.appId = await appIdOf(page, a.number);

  const order: StaffRole[] = ['head', 'executor', 'commission', 'clerk'];
  for (let round = 0; apps.some((a) => a.done < a.events.length); round++) {
    expect(round, 'the walk goes round the roles a bounded number of times').toBeLessThan(20);
    for (const role of order) {
      const mine = apps.filter((a) => a.events[a.done] && roleOf(a.events[a.done]!) === role);
      if (mine.length === 0) continue;
      await actAsRole(page, role);
      // Each of them waits in this person's inbox (an executor's: assigned to her, or to no one yet).
      await expect(page.getByTestId('inbox-count')).toHaveText(String(mine.length));
      for (const a of mine) {
        await openCard(page, a.appId, a.number);
        for (let e = a.events[a.done]; e && roleOf(e) === role; e = a.events[a.done]) {
          await test.step(`${a.id}: ${e.kind} by ${role}`, async () => {
            await perform(page, e);
            a.done++;
            await expectCardAt(page, stateAfter(a.s, a.events, a.done));
          });
        }
      }
    }
  }

  // Every application is closed, and the list says so.
  for (const a of apps) {
    await openCard(page, a.appId, a.number);
    await expect(page.getByTestId('card-status'), a.id).toContainText('Жабылды');
    await expect(page.getByTestId('action-panel')).toHaveCount(0);
  }
});
