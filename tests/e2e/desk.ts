import { request } from 'node:http';
import { expect, test, type Page } from './fixtures';
import { CENTRAL_PORT, SERVICE_PORT } from '../../playwright.config';
import { DEV_ADMIN } from '../../server/dev/central';
import { putStaffDirectoryEntry, putStaffUser } from '../../server/provision';

/** The Playwright run's dev central (started by playwright.config.ts's webServer). */
export const CENTRAL = `http://127.0.0.1:${CENTRAL_PORT}`;
/** The Kense central service started with it (staff administration). */
export const SERVICE = `http://127.0.0.1:${SERVICE_PORT}`;
export const OFFICE = 'ALM01';
const admin = { url: CENTRAL, user: DEV_ADMIN.user, password: DEV_ADMIN.password };
const adminAuth = 'Basic ' + Buffer.from(`${DEV_ADMIN.user}:${DEV_ADMIN.password}`).toString('base64');

/** One password rule for every e2e user, so any spec can sign anyone in. */
export const e2ePassword = (login: string): string => `${login}-kense-e2e`;

let ready = false;
/** The central answers before it is provisioned: wait for the last thing provisioning writes. */
async function centralReady(): Promise<void> {
  if (ready) return;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const r = await fetch(`${CENTRAL}/office_${OFFICE.toLowerCase()}/_design/kense`, {
        headers: { authorization: adminAuth },
      });
      if (r.ok) break;
    } catch {
      // starting
    }
    if (Date.now() > deadline) throw new Error(`the dev central at ${CENTRAL} was never provisioned`);
    await new Promise((r) => setTimeout(r, 200));
  }
  ready = true;
}

/**
 * The office's database on the central, emptied and provisioned again: desks sync once someone
 * signs in, so a test must not receive the applications of the tests before it.
 */
/**
 * One request to the central as its admin, on a connection of its own: a test that generates data
 * for seconds (the event loop busy) may otherwise reuse a kept-alive socket that the server closed
 * meanwhile ("other side closed"). Resolves with the status and the parsed answer.
 */
export function centralRequest(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${CENTRAL}/${path}`,
      { method, agent: false, headers: { authorization: adminAuth, 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(text || '{}') as Record<string, unknown> }),
        );
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(JSON.stringify(body));
    req.end();
  });
}

export async function freshCentral(): Promise<void> {
  await centralReady();
  const db = `${CENTRAL}/office_${OFFICE.toLowerCase()}`;
  const call = async (method: string, url: string, body?: unknown): Promise<Response> => {
    const r = await fetch(url, {
      method,
      headers: { authorization: adminAuth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${method} ${url}: HTTP ${r.status} ${await r.text()}`);
    return r;
  };
  // What provisioning put there (the validator's source cannot be rebuilt in this process: the
  // test runner's transpiler rewrites functions), put back on an empty database. The office's
  // reports database (its facts follow the office database) is emptied the same way.
  for (const url of [db, `${CENTRAL}/reports_${OFFICE.toLowerCase()}`]) {
    const security = (await (await call('GET', `${url}/_security`)).json()) as unknown;
    const designs = (await (
      await call('GET', `${url}/_all_docs?include_docs=true&startkey=%22_design%2F%22&endkey=%22_design0%22`)
    ).json()) as { rows: { doc: { _id: string; _rev?: string } }[] };
    // The staff directory is the office's, like its accounts (which stay in _users): kept.
    const staff = (
      (await (
        await call('GET', `${url}/_all_docs?include_docs=true&startkey=%22staff%3A%22&endkey=%22staff%3A%EF%BF%B0%22`)
      ).json()) as { rows: { doc: Record<string, unknown> }[] }
    ).rows.map(({ doc: { _rev: _r, ...doc } }) => doc);
    await call('DELETE', url);
    await call('PUT', url);
    await call('PUT', `${url}/_security`, security);
    for (const { doc } of designs.rows) {
      const { _rev: _ignored, ...design } = doc;
      await call('PUT', `${url}/${design._id}`, design);
    }
    if (staff.length > 0) await call('POST', `${url}/_bulk_docs`, { docs: staff });
  }
}

/**
 * The staff account on the central: exactly this role in ALM01, this name, the e2e password; and
 * the person's entry in the office's staff directory, as the central service would write it.
 */
export async function ensureStaff(login: string, name: string, role: string | string[]): Promise<void> {
  await centralReady();
  await putStaffUser(admin, { login, password: e2ePassword(login), role, office: OFFICE, fullName: name });
  await putStaffDirectoryEntry(admin, { login, role, office: OFFICE, fullName: name });
}

/** The person is an active executor in the directory (written only when not so already: no churn). */
export async function ensureExecutorEntry(login: string, name: string): Promise<void> {
  await centralReady();
  const r = await fetch(`${CENTRAL}/office_${OFFICE.toLowerCase()}/staff%3A${encodeURIComponent(login)}`, {
    headers: { authorization: adminAuth },
  });
  const entry = r.ok ? ((await r.json()) as { active?: boolean; roles?: string[] }) : null;
  if (entry?.active && entry.roles?.includes('executor')) return;
  await putStaffDirectoryEntry(admin, { login, role: 'executor', office: OFFICE, fullName: name });
}

/** Only the directory entry (someone the desks know of, who never signs in in the test), or its change. */
export async function putDirectoryEntry(
  login: string,
  name: string,
  role: string | string[],
  active = true,
): Promise<void> {
  await centralReady();
  await putStaffDirectoryEntry(admin, { login, role, office: OFFICE, fullName: name, active });
}

/** A desk as new: no settings, no office database, no read model (real IndexedDB, emptied); an empty central office. */
export async function freshDesk(page: Page): Promise<void> {
  await freshCentral();
  await page.goto('./');
  // Deleted while the app holds them open (PouchDB and Dexie let go on the version change), each
  // deletion awaited, then the app started again from nothing: an app left running on databases
  // deleted under it (the catalogue's mid-seed) never synced its catalogue.
  await page.evaluate(async () => {
    localStorage.clear();
    sessionStorage.clear();
    const names = (await indexedDB.databases()).map((d) => d.name).filter((n): n is string => Boolean(n));
    await Promise.all(
      names.map(
        (name) =>
          new Promise<void>((resolve, reject) => {
            const r = indexedDB.deleteDatabase(name);
            r.onsuccess = () => resolve();
            r.onerror = () => reject(new Error(`deleting ${name}: ${String(r.error)}`));
          }),
      ),
    );
  });
  await page.reload();
}

/**
 * Signs whoever is signed in out (the top bar's button), if anyone. Sign-out first sends what the
 * person recorded (up to a minute: SIGN_OUT_FLUSH_MS), so its end is waited for that long.
 */
export async function signOut(page: Page): Promise<void> {
  const button = page.getByTestId('sign-out');
  if (await button.isVisible()) {
    await button.click();
    await expect(page.getByTestId('sign-out')).toHaveCount(0, { timeout: 60_000 });
  }
}

/** Office ALM01, the given desk and the central's address, set in Settings unless already so. */
export async function setUpDesk(page: Page, desk = 'D01', server = CENTRAL): Promise<void> {
  const current = await page.evaluate(() => localStorage.getItem('kense.session')).catch(() => null);
  const wanted = JSON.stringify({ office: OFFICE, desk, server });
  if (current && JSON.stringify((JSON.parse(current) as { state?: unknown }).state) === wanted) return;
  await page.goto('./#/settings');
  const office = page.getByTestId('setup-office');
  const same =
    (await office.inputValue()) === OFFICE &&
    (await page.getByTestId('setup-desk').inputValue()) === desk &&
    (await page.getByTestId('setup-server').inputValue()) === server;
  if (same) return;
  await office.fill(OFFICE);
  await page.getByTestId('setup-desk').fill(desk);
  await page.getByTestId('setup-server').fill(server);
  await page.getByTestId('setup-save').click();
  await expect(page.getByTestId('topbar-desk')).toHaveText(desk);
}

/** Fills the sign-in form (wherever it is shown) and picks the role when asked. */
export async function signIn(page: Page, login: string, role?: string, password = e2ePassword(login)): Promise<void> {
  await page.getByTestId('signin-login').fill(login);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
  if (role) {
    const picker = page.getByTestId('signin-roles');
    await expect(picker.or(page.getByTestId('sign-out'))).toBeVisible({ timeout: 15_000 });
    if (await picker.isVisible()) {
      await page.getByTestId(`signin-role-${role}`).check();
      await page.getByTestId('signin-role-continue').click();
    }
  }
}

/**
 * After a reload the desk's keys (memory only) are gone: the person signs in again where the
 * section asks for it, and the desk's data opens.
 */
export async function unlockAfterReload(page: Page, login: string, password = e2ePassword(login)): Promise<void> {
  await expect(page.getByTestId('desk-locked')).toBeVisible();
  await signIn(page, login, undefined, password);
  await expect(page.getByTestId('desk-locked')).toBeHidden({ timeout: 15_000 });
}

/**
 * The person at the desk: makes sure `login` exists on the central with exactly `role` in ALM01,
 * signs the previous person out, sets the desk up (ALM01, `desk`, the central) if needed, and
 * signs in through the sign-in screen.
 */
export async function actAs(page: Page, login: string, name: string, role = 'clerk', desk = 'D01'): Promise<void> {
  // A real sign-in (server round trips, a deliberately slow key derivation, the sync handing over)
  // takes a few seconds: each one brings its own time, so specs with many actors keep their budget.
  test.info().setTimeout(test.info().timeout + 10_000);
  await ensureStaff(login, name, role);
  if (page.url() === 'about:blank') await page.goto('./');
  await signOut(page);
  await setUpDesk(page, desk);
  await page.goto('./#/sign-in');
  await signIn(page, login, role);
  await expect(page.getByTestId('topbar-user')).toHaveText(name, { timeout: 15_000 });
}
