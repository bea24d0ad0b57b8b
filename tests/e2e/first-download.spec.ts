import { mkdirSync } from 'node:fs';
import { expect, test, type Page, type Route } from './fixtures';
import { generateApplications } from '../../bench/generate';
import { DEFAULT_CALENDAR } from '../../shared/calendar';
import { formatRegNumber, parseEvent, parseEventId, parseRegNumber, type EventDoc } from '../../shared/events';
import { fold } from '../../shared/workflow';
import { isProbablyOpen } from '../../shared/couch';
import { actAs, centralRequest, freshDesk, OFFICE, unlockAfterReload } from './desk';
import { appIdOf, catalogue, register } from './flow';

const SHOTS = 'artifacts/screenshots';
mkdirSync(SHOTS, { recursive: true });
const CLERK = { login: 'aigerim', name: 'Сейітова Айгерім' };
/**
 * A replaced laptop set up as D01: the seeded history holds numbers D01 gave out (bench/generate.ts
 * registers at D01–D05), and the new desk must number after them while that history is held back.
 */
const DESK = 'D01';

interface Seeded {
  /** Every application put on the central. */
  all: { appId: string; regNumber: string }[];
  /** The open applications waiting for a clerk: the clerk's inbox once they are here. */
  clerkInbox: string[];
  /** Applications the first download brings after the open ones (their latest event closes them). */
  history: Set<string>;
  historyEvents: number;
  events: number;
}

/**
 * An office with a history: applications of the last two months played through their real
 * workflows (bench/generate.ts), about two thirds closed, put on the central as their events.
 */
async function seedOffice(apps: number, now: number): Promise<Seeded> {
  const docs: EventDoc[] = [];
  const seeded: Seeded = { all: [], clerkInbox: [], history: new Set(), historyEvents: 0, events: 0 };
  for (const events of generateApplications({ services: catalogue.services, apps, seed: 7, now, spanDays: 60 })) {
    // The generator's few applications that the server's rules would stop midway are left out.
    if (events.some((e) => !parseEvent(e).ok)) continue;
    const first = events[0];
    const last = events[events.length - 1];
    if (first?.kind !== 'registered' || !last) continue;
    docs.push(...events);
    const state = fold({
      appId: first.appId,
      events,
      service: (id, version) => catalogue.get(id, version),
      calendar: DEFAULT_CALENDAR,
      now,
    });
    seeded.all.push({ appId: first.appId, regNumber: first.payload.regNumber });
    if (state.status !== 'closed' && state.role === 'clerk') seeded.clerkInbox.push(first.payload.regNumber);
    if (!isProbablyOpen({ k: last.kind })) {
      seeded.history.add(first.appId);
      seeded.historyEvents += events.length;
    }
  }
  seeded.events = docs.length;
  const r = await centralRequest('POST', `office_${OFFICE.toLowerCase()}/_bulk_docs`, { docs });
  expect(r.status).toBe(201);
  return seeded;
}

/**
 * Holds back, in the page's network, every `_bulk_get` of the office database that asks for an
 * event of the history, until released: the desk provably has none of the history while the test
 * looks at its inbox. Everything else passes. Records which events each `_bulk_get` asked for.
 */
class HistoryHold {
  /** The applications each `_bulk_get` asked for, and in which page (0, then 1 after the reload). */
  readonly asked: { page: number; appIds: string[] }[] = [];
  private held: { page: number; route: Route }[] = [];
  private released = false;
  /** Bumped by a reload: requests held before it belong to the page that is gone. */
  page = 0;

  constructor(private readonly history: ReadonlySet<string>) {}

  async install(page: Page): Promise<void> {
    await page.route(`**/office_${OFFICE.toLowerCase()}/_bulk_get**`, async (route) => {
      let appIds: string[];
      try {
        const body = route.request().postDataJSON() as { docs: { id: string }[] };
        appIds = body.docs.flatMap((d) => parseEventId(d.id)?.appId ?? []);
      } catch {
        // Not the first download's plain JSON (the live replication gzips its bodies): passed, noted.
        appIds = ['(unread)'];
      }
      this.asked.push({ page: this.page, appIds });
      if (this.released || !appIds.some((a) => this.history.has(a))) return route.continue();
      this.held.push({ page: this.page, route });
    });
  }

  /** Requests of the current page held back now. */
  get waiting(): number {
    return this.held.filter((h) => h.page === this.page).length;
  }

  /** Lets the held requests (and all later ones) through; a request whose page has gone fails quietly. */
  async release(): Promise<void> {
    this.released = true;
    await Promise.all(this.held.splice(0).map((h) => h.route.continue().catch(() => undefined)));
  }
}

/** The list's "N applications" line says exactly `n`. */
const countIs = (n: number): RegExp => new RegExp(`^\\D*${String(n)}\\D*$`);

const dmy = (t: number): string => {
  const d = new Date(t + 5 * 3_600_000);
  return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${String(d.getUTCFullYear())}`;
};

test('a fresh desk shows its inbox and registers (numbering after the held history) while the history is still coming; a reload resumes; the history then completes', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await freshDesk(page);
  const now = Date.now();
  const seeded = await seedOffice(120, now);
  const openApps = seeded.all.length - seeded.history.size;
  // Enough of each for the test to mean something.
  expect(seeded.clerkInbox.length).toBeGreaterThan(3);
  expect(seeded.history.size).toBeGreaterThan(40);
  expect(seeded.historyEvents).toBeGreaterThan(200);

  const hold = new HistoryHold(seeded.history);
  await hold.install(page);
  // The desks' view (the download's plan, and the numbers the server's events gave out) held at first.
  let releaseView = (): void => undefined;
  const viewHeld = new Promise<void>((resolve) => (releaseView = resolve));
  await page.route(`**/office_${OFFICE.toLowerCase()}/_design/kense_desk/_view/apps**`, async (route) => {
    await viewHeld;
    await route.continue().catch(() => undefined);
  });
  await actAs(page, CLERK.login, CLERK.name, 'clerk', DESK);

  // Until the desk knows which numbers D01 has given out, it gives none (it would repeat one).
  await page.goto('./#/reception');
  await expect(page.getByTestId('numbers-held')).toContainText('Бұл жұмыс орны жаңа');
  await expect(page.getByTestId('register')).toBeDisabled();
  await page.screenshot({ path: `${SHOTS}/first-download-numbers-kk.png` });
  await page.getByTestId('lang-ru').click();
  await expect(page.getByTestId('numbers-held')).toContainText('Это рабочее место новое');
  await page.screenshot({ path: `${SHOTS}/first-download-numbers-ru.png` });
  await page.getByTestId('lang-kk').click();
  releaseView();
  // The dev central builds the view's index on this first query: seconds on a loaded machine.
  await expect(page.getByTestId('numbers-held')).toHaveCount(0, { timeout: 30_000 });

  // The inbox: every open application waiting for a clerk, with the history held back.
  await page.goto('./#/inbox');
  const inbox = page.getByTestId('inbox-list');
  await expect(inbox.getByTestId('applications-count')).toHaveText(countIs(seeded.clerkInbox.length), {
    timeout: 30_000,
  });
  for (const n of seeded.clerkInbox)
    await expect(inbox.getByTestId('application-row').filter({ hasText: n })).toHaveCount(1);
  expect(hold.waiting).toBeGreaterThan(0);

  // The progress: documents and applications so far, of how many, about how long; the inbox ready.
  // The top bar counts the applications; the details say first that the inbox is ready.
  const download = page.getByTestId('sync-download');
  await expect(download).toHaveText(`Өтініштер ${String(openApps)} / ${String(seeded.all.length)}`);
  await page.getByTestId('sync-indicator').click();
  await expect(page.getByTestId('sync-target-central-download-open')).toHaveText(/^Ашық өтініштер жүктелді/);
  const apps = page.getByTestId('sync-target-central-download-apps');
  await expect(apps).toHaveText(
    new RegExp(`^Өтініштер: ${String(openApps)} / ${String(seeded.all.length)}, шамамен \\d+ минут қалды\\.$`),
  );
  // Every document on the central (the events, the staff directory, the design documents), exactly.
  const onCentral = (await centralRequest('GET', `office_${OFFICE.toLowerCase()}/_all_docs?limit=0`)).json[
    'total_rows'
  ];
  expect(onCentral).toBeGreaterThan(seeded.events);
  await expect(page.getByTestId('sync-target-central-download')).toContainText(`/ ${String(onCentral)}.`);
  await page.screenshot({ path: `${SHOTS}/first-download-desk-kk.png` });
  await page.getByTestId('lang-ru').click();
  await expect(page.getByTestId('sync-target-central-download-open')).toHaveText(/^Открытые заявления загружены/);
  await expect(download).toHaveText(`Заявления ${String(openApps)} из ${String(seeded.all.length)}`);
  await page.screenshot({ path: `${SHOTS}/first-download-desk-ru.png` });
  await page.getByTestId('lang-kk').click();
  await page.getByTestId('sync-indicator').click();

  // Work goes on: an application of the inbox opens, a new one is registered.
  const first = seeded.clerkInbox[0] ?? '';
  await page.goto('./#/inbox');
  await inbox.getByTestId('application-row').filter({ hasText: first }).click();
  await expect(page.getByTestId('card-number')).toHaveText(first);
  const mine = await register(page, { serviceId: 'almaty-unemployed-registration' });
  // After every number D01 gave out, those of the held history included.
  const highest = Math.max(
    ...seeded.all.flatMap((a) =>
      a.regNumber.startsWith(`ALM01-${DESK}-`) ? [parseRegNumber(a.regNumber)?.sequence ?? 0] : [],
    ),
  );
  expect(seeded.all.some((a) => seeded.history.has(a.appId) && parseRegNumber(a.regNumber)?.sequence === highest)).toBe(
    true,
  );
  expect(mine).toBe(formatRegNumber(OFFICE, DESK, highest + 1));
  // The applications list holds the open applications and the new one; none of the history yet.
  await page.goto('./#/applications');
  await expect(page.getByTestId('applications-count')).toHaveText(countIs(openApps + 1));
  expect(hold.waiting).toBeGreaterThan(0);

  // A reload in the middle: the download resumes from what landed, asking only for the history.
  hold.page++;
  await page.reload();
  await unlockAfterReload(page, CLERK.login);
  await page.goto('./#/inbox');
  // The same inbox at once (the read model kept it), with the new application, whose next step is a clerk's.
  await expect(inbox.getByTestId('applications-count')).toHaveText(countIs(seeded.clerkInbox.length + 1), {
    timeout: 15_000,
  });
  await expect(inbox.getByTestId('application-row').filter({ hasText: mine })).toHaveCount(1);
  // The resumed download asks for the history again, and is held: the history is still not here.
  await expect.poll(() => hold.waiting, { timeout: 15_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId('sync-download')).toBeVisible();

  // Released: the history lands, the live replication takes over and sends the registration up.
  await hold.release();
  await expect(page.getByTestId('sync-indicator')).toContainText('Синхрондалды', { timeout: 45_000 });
  await expect(page.getByTestId('sync-download')).toHaveCount(0);
  const again = hold.asked.filter((r) => r.page === 1).flatMap((r) => r.appIds);
  expect(again.length).toBeGreaterThan(0);
  expect(again.filter((a) => !seeded.history.has(a))).toEqual([]);
  expect(again.length).toBe(seeded.historyEvents);

  await page.goto('./#/applications');
  await expect(page.getByTestId('applications-count')).toHaveText(countIs(seeded.all.length + 1), {
    timeout: 30_000,
  });
  // The registration made during the download reached the central once the live replication took over.
  const mineId = await appIdOf(page, mine);
  const range = `startkey=${encodeURIComponent(`"evt:${mineId}:"`)}&endkey=${encodeURIComponent(`"evt:${mineId}:\ufff0"`)}`;
  await expect
    .poll(
      async () =>
        ((await centralRequest('GET', `office_${OFFICE.toLowerCase()}/_all_docs?${range}`)).json['rows'] as unknown[])
          .length,
      { timeout: 30_000 },
    )
    .toBeGreaterThan(0);
  // A closed application of the history, in the registration journal of the last two months.
  const closed = seeded.all.find((a) => seeded.history.has(a.appId));
  await page.goto('./#/journals');
  await page.getByTestId('journal-from').fill(dmy(now - 70 * 86_400_000));
  await page.getByTestId('journal-from').blur();
  await expect(page.getByTestId('journal-table')).toContainText(closed?.regNumber ?? '-');
  await expect(page.getByTestId('journal-table')).toContainText(mine);
});
