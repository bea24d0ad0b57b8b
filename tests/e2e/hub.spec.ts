import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from './fixtures';
import { CENTRAL_PORT } from '../../playwright.config';
import { e2ePassword, setUpDesk, signIn as signInAt } from './desk';
import { chooseExecutor } from './flow';

/**
 * Two desks of one office sync with central and the office hub at once. Central goes down: the
 * clerk's registration and the head's resolution still reach the other desk through the hub, and
 * each desk says its work is on the hub but not yet on central. Central comes back and receives
 * everything. The test starts its own central (the config's one cannot be stopped) and a hub,
 * on ports next to the config's central (see KENSE_E2E_CENTRAL_PORT).
 */
const OWN_CENTRAL_PORT = CENTRAL_PORT + 3;
const HUB_PORT = CENTRAL_PORT + 4;
/** The Kense central service beside this test's own central (staff accounts for the hub); +5 and +6 are packaged-hub.spec's. */
const SERVICE_PORT = CENTRAL_PORT + 7;
const SHOTS = 'artifacts/screenshots';
const staff = [
  { login: 'aigerim', password: e2ePassword('aigerim'), role: 'clerk', office: 'ALM01' },
  { login: 'bolat', password: e2ePassword('bolat'), role: 'head', office: 'ALM01' },
  // Never signs in here: the executor the head routes to, in the office's staff directory (which
  // this central writes for its staff, and which reaches the desks through it and the hub).
  { login: 'dana', password: e2ePassword('dana'), role: 'executor', office: 'ALM01', fullName: 'Омарова Дана' },
];
const auth = 'Basic ' + Buffer.from('admin:kense-dev').toString('base64');

/**
 * The servers run as `npm run central` and `npm run hub` do, in their own processes (Playwright's
 * transform of imported TypeScript would mangle the validation function that goes to the server).
 */
interface Server {
  stop: () => Promise<void>;
}
function serve(script: string, args: string[], env: Record<string, string> = {}): Server {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: 'ignore',
    env: { ...process.env, ...env },
  });
  return {
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function signIn(url: string, name: string, password: string): Promise<number> {
  const r = await fetch(`${url}/_session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  }).catch(() => null);
  return r?.status ?? 0;
}

// The second test reads what the first recorded, on this file's central and hub: were the first to
// fail, Playwright would start the file's servers afresh for the second, empty, and report a
// second failure that is only the first's.
test.describe.configure({ mode: 'serial' });

/** Whether anything answers HTTP there (any status). */
const answers = (url: string): Promise<boolean> =>
  fetch(url).then(
    () => true,
    () => false,
  );

let centralDir = '';
let central: Server | null = null;
let hub: Server | null = null;
const dirs: string[] = [];
const tmp = (p: string): string => {
  const d = mkdtempSync(path.join(os.tmpdir(), `kense-e2e-${p}-`));
  dirs.push(d);
  return d;
};
const CENTRAL = `http://127.0.0.1:${OWN_CENTRAL_PORT}`;
const HUB = `http://127.0.0.1:${HUB_PORT}`;
const startOwnCentral = (): Server =>
  serve('scripts/central.ts', [
    '--port',
    String(OWN_CENTRAL_PORT),
    '--dir',
    centralDir,
    '--offices',
    'ALM01',
    '--staff',
    staff.map((s) => [s.login, s.password, s.role, s.office, s.fullName].filter(Boolean).join(':')).join(','),
    '--service-port',
    String(SERVICE_PORT),
  ]);

test.beforeAll(async () => {
  test.setTimeout(90_000);
  centralDir = tmp('central');
  central = startOwnCentral();
  await expect.poll(() => signIn(CENTRAL, 'bolat', e2ePassword('bolat')), { timeout: 40_000 }).toBe(200);
  // Central's service answers too (it starts after central's staff are made): the hub copies the
  // staff accounts from it as it starts, and a failed copy is tried again only a minute later.
  await expect.poll(() => answers(`http://127.0.0.1:${SERVICE_PORT}/`), { timeout: 40_000 }).toBe(true);
  hub = serve(
    'scripts/hub.ts',
    [
      '--office',
      'ALM01',
      '--central',
      CENTRAL,
      '--port',
      String(HUB_PORT),
      '--dir',
      tmp('hub'),
      '--max-backoff-ms',
      '1000',
      '--service',
      `http://127.0.0.1:${SERVICE_PORT}`,
    ],
    {
      // The hub relays as the office's hub account (not an admin), which the dev central creates,
      // and with it copies the office's staff accounts from the central service.
      KENSE_CENTRAL_USER: 'hub-alm01',
      KENSE_CENTRAL_PASSWORD: 'kense-dev-hub',
    },
  );
  // Staff accounts reach the hub from central.
  await expect.poll(() => signIn(HUB, 'bolat', e2ePassword('bolat')), { timeout: 40_000 }).toBe(200);
});

test.afterAll(async () => {
  await hub?.stop();
  await central?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function desk(
  newDesk: () => Promise<Page>,
  who: (typeof staff)[number],
  name: string,
  deskCode: string,
): Promise<Page> {
  const page = await newDesk();
  // The desk's central is this test's own; the person signs in there, then adds the office hub.
  await page.goto('./');
  await setUpDesk(page, deskCode, CENTRAL);
  await page.goto('./#/sign-in');
  await signInAt(page, who.login, who.role);
  await expect(page.getByTestId('sign-out')).toBeVisible({ timeout: 15_000 });
  await page.goto('./#/settings');
  // One central address for the desk: the one it signs in against, shown (not asked again) here.
  await expect(page.getByTestId('sync-central')).toHaveText(CENTRAL);
  await page.getByTestId('sync-hub-url').fill(HUB);
  await page.getByTestId('sync-connect').click();
  await expect(page.getByTestId('sync-indicator')).toContainText('Синхрондалды', { timeout: 20_000 });
  // Browser mode: the embedded hub's section says it needs the desktop app.
  await expect(page.getByTestId('hub-unavailable')).toBeVisible();
  if (deskCode === 'D01') await page.screenshot({ path: `${SHOTS}/settings-two-targets.png`, fullPage: true });
  return page;
}

async function centralEvents(): Promise<{ kind: string; actor: { login: string } }[]> {
  const r = await fetch(`${CENTRAL}/office_alm01/_all_docs?include_docs=true`, {
    headers: { authorization: auth },
  }).catch(() => null);
  if (!r?.ok) return [];
  const body = (await r.json()) as { rows: { id: string; doc: { kind: string; actor: { login: string } } }[] };
  return body.rows.filter((row) => row.id.startsWith('evt:')).map((row) => row.doc);
}

test('two desks keep routing through the hub while central is down; central gets everything back', async ({
  newDesk,
}) => {
  test.setTimeout(180_000);
  const clerk = await desk(newDesk, staff[0]!, 'Сейітова Айгерім', 'D01');
  const head = await desk(newDesk, staff[1]!, 'Жұмабеков Болат', 'D02');
  for (const page of [clerk, head]) {
    await page.getByTestId('sync-indicator').click();
    await expect(page.getByTestId('sync-target-hub-status')).toHaveText('Синхрондалды', { timeout: 20_000 });
    await page.getByTestId('sync-indicator').click();
  }

  // The uplink drops: central is stopped.
  await central?.stop();
  central = null;

  await clerk.goto('./#/reception');
  await clerk.getByTestId('applicant-id').fill('900101300017');
  await clerk.getByTestId('person-surname').fill('Сейітқали');
  await clerk.getByTestId('person-name').fill('Әлия');
  await clerk.getByTestId('service-search').fill('кресло');
  await clerk.keyboard.press('Enter');
  await clerk.getByTestId('all-received').click();
  await clerk.getByTestId('register').click();
  const number = (await clerk.getByTestId('reg-number').textContent()) ?? '';
  expect(number).toMatch(/^ALM01-D01-\d{6}$/);

  // The clerk's desk says: not on central yet, but on the hub.
  await expect(clerk.getByTestId('sync-indicator')).toContainText('Тек кеңсе хабы арқылы', { timeout: 30_000 });
  await expect(clerk.getByTestId('sync-pending')).toHaveText('1', { timeout: 20_000 });
  await clerk.getByTestId('sync-indicator').click();
  await expect(clerk.getByTestId('sync-safe-on-hub')).toBeVisible({ timeout: 20_000 });
  await expect(clerk.getByTestId('sync-target-central-status')).toHaveText('Байланыс жоқ');
  await expect(clerk.getByTestId('sync-target-hub-pending')).toHaveText('Барлығы кеңсе хабында');
  await clerk.screenshot({ path: `${SHOTS}/sync-hub-only.png` });
  await clerk.getByTestId('sync-indicator').click();

  // The head sees it through the hub and gives the resolution.
  await head.goto('./#/inbox');
  await head.getByTestId('inbox-list').getByText(number).click({ timeout: 30_000 });
  await chooseExecutor(head, 'dana', 'Омарова Дана');
  await head.getByTestId('do-resolution').click();
  await expect(head.getByTestId('card-step')).toContainText('Омарова Дана');

  // The clerk's desk sees the resolution, still through the hub alone.
  await clerk.goto('./#/applications');
  await clerk.getByTestId('application-list').getByText(number).click();
  await expect(clerk.getByTestId('card-step')).toContainText('Омарова Дана', { timeout: 30_000 });

  // Central comes back and receives everything (from the hub and the desks).
  central = startOwnCentral();
  await expect
    .poll(async () => (await centralEvents()).map((e) => `${e.kind}:${e.actor.login}`).sort(), { timeout: 60_000 })
    .toEqual(['registered:aigerim', 'resolution:bolat']);
  for (const page of [clerk, head]) {
    // Each server's word, read from the open indicator: a failure names the one still awaited.
    await page.getByTestId('sync-indicator').click();
    await expect
      .poll(() => targetWords(page), { timeout: 60_000 })
      .toEqual({ central: 'Синхрондалды', hub: 'Синхрондалды' });
    await page.getByTestId('sync-indicator').click();
    await expect(page.getByTestId('sync-indicator')).toContainText('Синхрондалды');
    await expect(page.getByTestId('sync-pending')).toHaveCount(0, { timeout: 30_000 });
  }
});

/** What the open indicator says of each server, with its error if any. */
async function targetWords(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of ['central', 'hub']) {
    const target = page.getByTestId(`sync-target-${name}`);
    const word = (await target.getByTestId(`sync-target-${name}-status`).textContent()) ?? '';
    const error = await target.locator('.field-error').allTextContents();
    out[name] = [word, ...error].join(' — ');
  }
  return out;
}

test('a new desk that cannot read the office from central takes its first download from the hub', async ({
  newDesk,
}) => {
  test.setTimeout(120_000);
  const page = await newDesk();
  // Central answers the sign-in (with the desk key's escrow) and the catalogue, but gives no
  // documents of the office (its uplink is too weak for it, say): the desk's first download must
  // come from the hub, through the hub's desks' view.
  for (const path of ['_design/kense_desk/**', '_changes**', '_bulk_get**', '_revs_diff**'])
    await page.route(`${CENTRAL}/office_alm01/${path}`, (route) => route.abort('connectionrefused'));
  const fromHub: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(`${HUB}/office_alm01/_design/kense_desk/_view/apps`)) fromHub.push(r.url());
  });
  await page.goto('./');
  await setUpDesk(page, 'D03', CENTRAL);
  await page.goto('./#/sign-in');
  await signInAt(page, 'bolat', 'head');
  await expect(page.getByTestId('sign-out')).toBeVisible({ timeout: 15_000 });
  await page.goto('./#/settings');
  await page.getByTestId('sync-hub-url').fill(HUB);
  await page.getByTestId('sync-connect').click();
  await expect.poll(() => fromHub.length, { timeout: 30_000 }).toBeGreaterThan(0);
  // The hub has given the desk the office. (Central answers its checks here and refuses its feed:
  // central's own target says offline, the hub's synced.)
  await page.getByTestId('sync-indicator').click();
  await expect(page.getByTestId('sync-target-hub-status')).toContainText('Синхрондалды', { timeout: 60_000 });
  // What the desks recorded in the test before, routed and resolved, is on this desk.
  await page.goto('./#/applications');
  await expect(page.getByTestId('application-list')).toContainText('ALM01-D01-', { timeout: 30_000 });
});
