import { expect, test, type Page } from './fixtures';
import { contentEventId, type EventDoc } from '../../shared/events';
import { actAs, CENTRAL, centralRequest, freshDesk } from './desk';
import { appIdOf, openCard, service } from './flow';
import { drive } from '../../shared/workflow/drive';
import { DEFAULT_CALENDAR } from '../../shared/calendar';

/**
 * Home visits (issue 18): a worker's laptop, cut off from central, registers applications at the
 * applicants' homes (channel home_visit, place and consent), photographs a document on each with
 * the camera (Chromium's fake device), and keeps the receipts to hand over. Three days later
 * central comes back: every registration and photo reaches central and a second desk, each once.
 */
test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-sync',
      '--disable-background-networking',
      '--disable-component-update',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  },
});

const SHOTS = 'artifacts/screenshots';
const VISITS = 4;
const auth = 'Basic ' + Buffer.from('admin:kense-dev').toString('base64');
const unplug = async (page: Page): Promise<void> => {
  await page.route(`${CENTRAL}/**`, (route) => route.abort('internetdisconnected'));
};
const plugIn = (page: Page): Promise<void> => page.unroute(`${CENTRAL}/**`);

/** Registers one application at the applicant's home through the reception form. */
async function registerAtHome(page: Page, iin: string, surname: string, address: string): Promise<string> {
  const s = service('almaty-targeted-social-assistance');
  await page.goto('./#/reception');
  if (await page.getByTestId('next-application').count()) await page.getByTestId('next-application').click();
  await page.getByTestId('applicant-id').fill(iin);
  await page.getByTestId('person-surname').fill(surname);
  await page.getByTestId('person-name').fill('Күләш');
  await page.getByTestId('service-search').fill(`${s.names.kk} ${s.provider.kk}`.replace(/[^\p{L}\p{N}]+/gu, ' '));
  await page.locator(`[id="svc-${s.id}"]`).click();
  await page.getByTestId('channel').selectOption('home_visit');
  await page.getByTestId('all-received').click();
  const consent = page.getByTestId('consent');
  if (await consent.count()) await consent.check();
  await page.getByTestId('home-place').fill(address);
  await page.getByTestId('home-consent').check();
  await page.getByTestId('register').click();
  await expect(page.getByTestId('receipt-waits')).toBeVisible();
  const number = (await page.getByTestId('reg-number').textContent()) ?? '';
  expect(number).toMatch(/^ALM01-D01-\d{6}$/);
  return number;
}

async function secondDesk(
  newDesk: () => Promise<Page>,
  who = { login: 'dana', name: 'Омарова Дана', role: 'clerk' },
): Promise<Page> {
  const page = await newDesk();
  await actAs(page, who.login, who.name, who.role, 'D02');
  return page;
}

test('offline for three days: home visits with photos reach central and a second desk, none lost or duplicated', async ({
  page,
  newDesk,
  request,
}) => {
  test.setTimeout(240_000);
  // Monday 23 November 2026, 09:30 in Almaty; the clock runs on from there.
  await page.clock.install({ time: new Date('2026-11-23T09:30:00+05:00') });
  await freshDesk(page);
  await actAs(page, 'aigerim', 'Сейітова Айгерім', 'clerk');
  await expect(page.getByTestId('sync-indicator')).toContainText('Синхрондалды', { timeout: 20_000 });

  // In the field: no connection to central.
  await unplug(page);
  const numbers: string[] = [];
  for (let i = 0; i < VISITS; i++) {
    const number = await registerAtHome(
      page,
      ['900101300017', '850315400025', '760512300010', '920830400030'][i] ?? '900101300017',
      `Сейітова-${i + 1}`,
      `Алматы қ., Жетісу-2, ${10 + i}-үй`,
    );
    numbers.push(number);
    // A photo of a document with the camera, added to the file.
    const appId = await appIdOf(page, number);
    await openCard(page, appId, number);
    await page.getByTestId('camera-open').click();
    await expect(page.getByTestId('camera-shoot')).toBeEnabled({ timeout: 15_000 });
    await page.getByTestId('camera-shoot').click();
    await expect(page.getByTestId('attachment')).toHaveCount(1, { timeout: 15_000 });
    await expect(page.getByTestId('camera')).toHaveCount(0);
  }
  expect(new Set(numbers).size).toBe(VISITS);

  // Three days later, still offline: the Visits view lists the receipts to hand over and what
  // has not reached central.
  await page.clock.setSystemTime(new Date('2026-11-26T09:30:00+05:00'));
  await page.goto('./#/visits');
  await expect(page.getByTestId('handover-entry')).toHaveCount(VISITS);
  await expect(page.getByTestId('visits-unsynced')).toContainText('23.11.2026');
  await page.screenshot({ path: `${SHOTS}/visits-offline.png` });
  await page.getByTestId('handover-done').first().click();
  await expect(page.getByTestId('handover-entry')).toHaveCount(VISITS - 1);

  // Back: central reachable again.
  await plugIn(page);
  await page.getByTestId('sync-indicator').click();
  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('sync-indicator')).toContainText('Синхрондалды', { timeout: 60_000 });

  // Central holds every registration (with its place) and every photo, each once.
  await expect
    .poll(
      async () => {
        const r = await request.get(`${CENTRAL}/office_alm01/_all_docs?include_docs=true`, {
          headers: { authorization: auth },
        });
        const docs = (
          (await r.json()) as { rows: { doc: { _id: string; kind?: string; payload?: Record<string, unknown> } }[] }
        ).rows
          .map((x) => x.doc)
          .filter((d) => d._id.startsWith('evt:'));
        return {
          registered: docs
            .filter((d) => d.kind === 'registered')
            .map(
              (d) =>
                `${String(d.payload?.['regNumber'])} ${String(d.payload?.['channel'])} ${String(d.payload?.['place'])}`,
            )
            .sort(),
          photos: docs.filter((d) => d.kind === 'attachment_added').length,
        };
      },
      { timeout: 60_000 },
    )
    .toEqual({
      registered: numbers.map((n, i) => `${n} home_visit Алматы қ., Жетісу-2, ${10 + i}-үй`).sort(),
      photos: VISITS,
    });

  // A second desk of the office sees them all, each once, with its photo.
  const two = await secondDesk(newDesk);
  await two.goto('./#/applications');
  for (const n of numbers) await expect(two.getByTestId('application-list')).toContainText(n, { timeout: 30_000 });
  await expect(two.getByTestId('application-row')).toHaveCount(VISITS);
  const appId = await appIdOf(two, numbers[0] ?? '');
  await openCard(two, appId, numbers[0] ?? '');
  await expect(two.getByTestId('attachment')).toHaveCount(1, { timeout: 30_000 });
  await two.screenshot({ path: `${SHOTS}/visits-second-desk.png` });
});

/**
 * The issue's run (item 7): twenty applications for home care (004/12) registered at the office
 * wait at the social worker's visit (step 5, assigned to her). She takes them on her laptop, the
 * line goes, and over three days at the applicants' homes she photographs a document and fills
 * the inspection act through the card at each. The Visits view says exactly what has not gone up.
 * Back in the office everything reaches central and a second desk: every event once.
 */
const HOME_VISITS = 20;
const WORKER = { login: 'dana', name: 'Омарова Дана' };
const COLLEAGUE = { login: 'erlan', name: 'Сәрсенов Ерлан' };
const COLLEAGUE_VISITS = 5;

/** The office's part before she leaves: registered, assigned to her, passed to her (drive's events, re-id'd). */
function atTheVisit(
  i: number,
  worker: { login: string; name: string } = WORKER,
): { appId: string; regNumber: string; events: EventDoc[] } {
  const s = service('almaty-ssu-home-care');
  const appId = `${worker === WORKER ? 'HV' : 'HC'}${String(i + 1).padStart(4, '0')}`;
  const regNumber = `ALM01-D${worker === WORKER ? '09' : '08'}-${String(i + 1).padStart(6, '0')}`;
  const { events, state } = drive({
    service: s,
    variantId: 'provider',
    calendar: DEFAULT_CALENDAR,
    // Friday 20 November 2026, from 10:00 in Almaty.
    start: Date.parse('2026-11-20T10:00:00+05:00') + i * 60_000,
    appId,
    device: 'D09',
    maxActions: 2,
  });
  expect(state.step?.act).toBeTruthy();
  const actor = (a: EventDoc['actor']): EventDoc['actor'] =>
    a.login === 'exec1' ? { ...a, login: worker.login, name: worker.name } : a;
  const edited = events.map((e): EventDoc => {
    const { _id: _stale, ...rest } = e;
    const content = { ...rest, actor: actor(e.actor) } as Omit<EventDoc, '_id'>;
    if (content.kind === 'registered')
      content.payload = {
        ...content.payload,
        regNumber,
        applicant: {
          kind: 'person',
          iin: '900101300017',
          surname: `Ахметова-${i + 1}`,
          name: 'Сәуле',
          address: `Алматы қ., Алатау ауданы, Шапағат к., ${i + 1}-үй`,
          phone: '+7 701 555 00 00',
        },
      };
    if (content.kind === 'resolution')
      content.payload = { ...content.payload, executor: worker.login, executorName: worker.name };
    return { ...content, _id: contentEventId(content) } as EventDoc;
  });
  return { appId, regNumber, events: edited };
}

type CentralEvent = { _id: string; kind?: string; appId?: string; _attachments?: Record<string, unknown> };
async function centralEvents(): Promise<CentralEvent[]> {
  const r = await centralRequest('GET', 'office_alm01/_all_docs?include_docs=true');
  return (r.json['rows'] as { doc: CentralEvent }[]).map((x) => x.doc).filter((d) => d._id.startsWith('evt:'));
}
function byKind(docs: CentralEvent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of docs) out[d.kind ?? '?'] = (out[d.kind ?? '?'] ?? 0) + 1;
  return out;
}

/** Every required entry of the step's act, as the worker writes it at the home. */
async function fillAct(page: Page, i: number): Promise<void> {
  const step = service('almaty-ssu-home-care').variants[0]?.steps.find((x) => x.act);
  for (const f of step?.act?.fields ?? []) {
    const field = page.getByTestId(`act-${f.id}`);
    switch (f.type) {
      case 'yes_no':
        await field.selectOption(i % 2 === 0 ? 'yes' : 'no');
        break;
      case 'choice':
        await field.selectOption(f.options?.[0]?.id ?? '');
        break;
      case 'number':
        await field.fill(String(1 + (i % 3)));
        break;
      case 'date':
        await field.fill('24.11.2026');
        break;
      default:
        if (f.required)
          await field.fill(f.type === 'textarea' ? `Тексерілді, ${i + 1}-үй: жағдайы қанағаттанарлық` : 'Алматы қ.');
    }
  }
}

test('the issue: 20 home visits over three days offline on a field laptop, each with a photo and an act filled on the card; all reach central and a second desk once', async ({
  page,
  newDesk,
}) => {
  test.setTimeout(240_000);
  // Monday 23 November 2026, 09:00 in Almaty; the clock runs on from there.
  await page.clock.install({ time: new Date('2026-11-23T09:00:00+05:00') });
  await freshDesk(page);
  const apps = Array.from({ length: HOME_VISITS }, (_, i) => atTheVisit(i));
  // A colleague's visits too: the office's, not hers.
  const colleagues = Array.from({ length: COLLEAGUE_VISITS }, (_, i) => atTheVisit(i, COLLEAGUE));
  const put = await centralRequest('POST', 'office_alm01/_bulk_docs', {
    docs: [...apps, ...colleagues].flatMap((a) => a.events),
  });
  expect(put.status).toBe(201);
  const before = byKind(await centralEvents());
  const all = HOME_VISITS + COLLEAGUE_VISITS;
  expect(before).toEqual({ registered: all, resolution: all, step_done: all });

  // Her laptop is a field laptop (set before anyone signs in): it takes only what she needs, then
  // she leaves: no line to central.
  await page.goto('./#/settings');
  await page.getByTestId('field-on').check();
  await page.getByTestId('field-save').click();
  await expect(page.getByTestId('field-saved')).toBeVisible();
  await actAs(page, WORKER.login, WORKER.name, 'executor');
  await expect(page.getByTestId('sync-indicator')).toContainText('Синхрондалды', { timeout: 30_000 });
  await page.goto('./#/visits');
  await expect(page.getByTestId('visit')).toHaveCount(HOME_VISITS, { timeout: 30_000 });
  await expect(page.getByTestId('visits-unsynced')).toContainText('бәрі жіберілді');
  // Only her applications are on the laptop, and Settings says what it holds.
  await page.goto('./#/applications');
  await expect(page.getByTestId('applications-count')).toHaveText(`${HOME_VISITS} өтініш`);
  await page.goto('./#/settings');
  const held = page.getByTestId('field-held');
  await expect(held).toContainText(`${HOME_VISITS} ашық өтініш, 0 басқа өтініш`);
  await expect(held).toContainText(`${3 * HOME_VISITS} оқиға`);
  await expect(page.getByTestId('field-scope')).toContainText(`Тізімде ${HOME_VISITS} өтініш`);
  await expect(page.getByTestId('field-scope')).toContainText('23.11.2026');
  await page.getByTestId('field-settings').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/field-settings-kk.png` });
  await page.getByTestId('lang-ru').click();
  await expect(held).toContainText(`${HOME_VISITS} открытых заявлений, 0 других заявлений`);
  await page.screenshot({ path: `${SHOTS}/field-settings-ru.png` });
  await page.getByTestId('lang-kk').click();
  await unplug(page);

  // Three days of visits, seven a day: at each home a photo and the act, through the card.
  for (const [i, a] of apps.entries()) {
    if (i === 7) await page.clock.setSystemTime(new Date('2026-11-24T09:00:00+05:00'));
    if (i === 14) await page.clock.setSystemTime(new Date('2026-11-25T09:00:00+05:00'));
    await page.goto('./#/visits');
    await page.getByTestId('visits-list').getByRole('link', { name: a.regNumber }).click();
    await expect(page.getByTestId('card-number')).toHaveText(a.regNumber);
    await page.getByTestId('camera-open').click();
    await expect(page.getByTestId('camera-shoot')).toBeEnabled({ timeout: 15_000 });
    await page.getByTestId('camera-shoot').click();
    await expect(page.getByTestId('attachment')).toHaveCount(1, { timeout: 15_000 });
    await fillAct(page, i);
    if (i === 0) await page.getByTestId('inspection-act').screenshot({ path: `${SHOTS}/visits-act-form.png` });
    await page.getByTestId('act-record').click();
    await expect(page.getByTestId('act-recorded')).toHaveCount(1);
    await expect(page.getByTestId('act-form')).toBeVisible();
  }

  // The third evening, still offline: every photo and act is waiting, and the view says so.
  await page.clock.setSystemTime(new Date('2026-11-25T18:00:00+05:00'));
  await page.goto('./#/visits');
  await expect(page.getByTestId('visits-unsynced')).toContainText(`${2 * HOME_VISITS} әрекет жіберілмеген`);
  await expect(page.getByTestId('visits-unsynced')).toContainText('23.11.2026');
  await page.screenshot({ path: `${SHOTS}/visits-offline-20.png` });

  // Back in the office.
  await plugIn(page);
  await page.getByTestId('sync-indicator').click();
  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('sync-indicator')).toContainText('Синхрондалды', { timeout: 90_000 });
  // Online is said between the push's batches too: the view counts down to none as they go up.
  await page.goto('./#/visits');
  await expect(page.getByTestId('visits-unsynced')).toContainText('бәрі жіберілді', { timeout: 90_000 });

  // Central: every event once, by kind; each application has its act and its photo (with the image).
  await expect
    .poll(async () => byKind(await centralEvents()), { timeout: 60_000 })
    .toEqual({ ...before, attachment_added: HOME_VISITS, act_recorded: HOME_VISITS });
  const docs = await centralEvents();
  const apps20 = apps.map((a) => a.appId).sort();
  expect([...new Set(docs.filter((d) => d.kind === 'act_recorded').map((d) => d.appId))].sort()).toEqual(apps20);
  const photos = docs.filter((d) => d.kind === 'attachment_added');
  expect([...new Set(photos.map((d) => d.appId))].sort()).toEqual(apps20);
  for (const p of photos) expect(Object.keys(p._attachments ?? {})).toHaveLength(1);

  // A second desk of the office (an office desk: everything): all twenty, each with its act and photo.
  const two = await secondDesk(newDesk, { login: 'bolat', name: 'Жұмабеков Болат', role: 'head' });
  await two.goto('./#/applications');
  await expect(two.getByTestId('applications-count')).toHaveText(`${all} өтініш`, { timeout: 30_000 });
  for (const a of [apps[0], apps[HOME_VISITS - 1]]) {
    if (!a) continue;
    await openCard(two, a.appId, a.regNumber);
    await expect(two.getByTestId('act-recorded')).toHaveCount(1, { timeout: 30_000 });
    await expect(two.getByTestId('attachment')).toHaveCount(1, { timeout: 30_000 });
  }
  await two.getByTestId('inspection-act').screenshot({ path: `${SHOTS}/visits-second-desk-act.png` });
  await two.context().close();

  // The head gives her one of the colleague's visits: her field laptop, online, takes that
  // application with its whole history (the assignment came through the selector, the rest by id).
  const given = colleagues[0];
  const resolution = given?.events.find((e) => e.kind === 'resolution');
  if (!given || !resolution) throw new Error('no colleague’s visit');
  const at = Date.parse('2026-11-26T10:00:00+05:00');
  const content = {
    ...resolution,
    kind: 'reassigned',
    hlc: `${String(at).padStart(15, '0')}-0000`,
    at: new Date(at).toISOString(),
    payload: { executor: WORKER.login, executorName: WORKER.name },
  } as Omit<EventDoc, '_id'> & { _id?: string; _rev?: string };
  delete content._id;
  delete content._rev;
  const reassign = await centralRequest('POST', 'office_alm01/_bulk_docs', {
    docs: [{ ...content, _id: contentEventId(content) }],
  });
  expect(reassign.status).toBe(201);
  await page.goto('./#/applications');
  await expect(page.getByTestId('applications-count')).toHaveText(`${HOME_VISITS + 1} өтініш`, { timeout: 60_000 });
  await openCard(page, given.appId, given.regNumber);
  await expect(page.getByTestId('card-number')).toHaveText(given.regNumber);
  await page.goto('./#/visits');
  await expect(page.getByTestId('visits-list')).toContainText(given.regNumber, { timeout: 30_000 });
});
