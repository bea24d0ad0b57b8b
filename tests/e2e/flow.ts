import { readdirSync, readFileSync } from 'node:fs';
import { expect, type Page } from './fixtures';
import { loadCatalogue } from '../../shared/catalogue/load';
import type { ServiceDefinition } from '../../shared/catalogue/schema';
import { DEFAULT_CALENDAR } from '../../shared/calendar';
import type { EventDoc, StaffRole } from '../../shared/events';
import { drive } from '../../shared/workflow/drive';
import { fold, type ApplicationState } from '../../shared/workflow';
import { actAs, ensureExecutorEntry } from './desk';

/**
 * Lifecycle helpers for the e2e specs: register through the reception form, open a card, and
 * perform one workflow action through the card's ActionPanel. The tests use the engine (`drive`,
 * `fold`) only to know what comes next; every action is clicked in the UI.
 */

// Read from the files (Playwright's loader does not import JSON modules without an attribute).
const SERVICES = 'shared/catalogue/services';
export const catalogue = loadCatalogue(
  readdirSync(SERVICES)
    .filter((f) => f.endsWith('.json'))
    .map((f): unknown => JSON.parse(readFileSync(`${SERVICES}/${f}`, 'utf8'))),
);

export function service(id: string): ServiceDefinition {
  const s = catalogue.get(id);
  if (!s) throw new Error(`no service ${id}`);
  return s;
}

/** The people of the e2e office, one per role. */
export const STAFF: Record<'clerk' | 'head' | 'executor' | 'commission', { login: string; name: string }> = {
  clerk: { login: 'aigerim', name: 'Сейітова Айгерім' },
  head: { login: 'bolat', name: 'Жұмабеков Болат' },
  executor: { login: 'dana', name: 'Омарова Дана' },
  commission: { login: 'ermek', name: 'Қасымов Ермек' },
};

export async function actAsRole(page: Page, role: StaffRole): Promise<void> {
  const p = STAFF[role as keyof typeof STAFF];
  if (!p) throw new Error(`no e2e person for ${role}`);
  await actAs(page, p.login, p.name, role);
}

export interface Registration {
  serviceId: string;
  variantId?: string;
  channel?: string;
  /** Person IIN or entity BIN; a valid one by default, chosen by the service's first recipient kind. */
  id?: string;
  surname?: string;
}

/** Registers at reception (the clerk must be at the desk); returns the registration number. */
export async function register(page: Page, r: Registration): Promise<string> {
  const s = service(r.serviceId);
  const variant = s.variants.find((v) => v.id === (r.variantId ?? s.variants[0]?.id));
  if (!variant) throw new Error(`no variant ${r.variantId ?? ''}`);
  await page.goto('./#/reception');
  if (await page.getByTestId('next-application').count()) await page.getByTestId('next-application').click();
  const person = s.recipients[0] === 'person';
  await page.getByTestId('applicant-id').fill(r.id ?? (person ? '900101300017' : '940140000385'));
  if (person) {
    await page.getByTestId('person-surname').fill(r.surname ?? 'Сейітқали');
    await page.getByTestId('person-name').fill('Әлия');
  } else await page.getByTestId('entity-title').fill(r.surname ?? '«Құрылыс» ЖШС');
  // Name and provider together: the four permits share a name and differ by oblast.
  const words = `${s.names.kk} ${s.provider.kk}`.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  await page.getByTestId('service-search').fill(words);
  await page.locator(`[id="svc-${s.id}"]`).click({ timeout: 5_000 });
  await expect(page.getByTestId('chosen-service')).toHaveText(s.names.kk);
  await page.getByTestId('variant').selectOption(variant.id);
  await page.getByTestId('channel').selectOption(r.channel ?? variant.channels[0] ?? 'provider_office');
  const all = page.getByTestId('all-received');
  if (await all.count()) await all.click();
  const consent = page.getByTestId('consent');
  if (await consent.count()) await consent.check();
  await page.getByTestId('register').click();
  const number = page.getByTestId('reg-number');
  await expect(number).toHaveText(/^ALM01-D\d\d-\d{6}$/);
  return (await number.textContent()) ?? '';
}

/** The application's id, found through the Applications search; its card's address is `#/applications/<id>`. */
export async function appIdOf(page: Page, number: string): Promise<string> {
  await page.goto('./#/applications');
  await page.getByTestId('application-search').fill(number);
  const row = page.getByTestId('application-row').filter({ hasText: number });
  await expect(row).toHaveCount(1);
  const href = (await row.getAttribute('href')) ?? '';
  const id = href.split('/').pop() ?? '';
  expect(id).toMatch(/^[A-Z0-9]+$/);
  return id;
}

export async function openCard(page: Page, appId: string, number: string): Promise<void> {
  await page.goto(`./#/applications/${appId}`);
  await expect(page.getByTestId('card-number')).toHaveText(number);
}

/**
 * Picks the executor in the card's staff picker: types the first word of the name and clicks the
 * person (made an active executor in the office's directory first, if they were not).
 */
export async function chooseExecutor(page: Page, login: string, name: string): Promise<void> {
  await ensureExecutorEntry(login, name);
  await page.getByTestId('executor-search').fill(name.split(' ')[0] ?? name);
  await page.locator(`[data-testid="executor-option"][data-login="${login}"]`).click();
  await expect(page.getByTestId('executor-chosen')).toContainText(login);
}

/** Performs one action, as `drive` recorded it, through the card's ActionPanel. */
export async function perform(page: Page, e: EventDoc): Promise<void> {
  switch (e.kind) {
    case 'resolution':
      await chooseExecutor(page, STAFF.executor.login, STAFF.executor.name);
      await page.getByTestId('do-resolution').click();
      return;
    case 'step_done':
      if (e.payload.outcome === 'refused') await page.getByTestId('refusal-ground').fill(e.payload.ground ?? '');
      await page.getByTestId(`do-step-${e.payload.outcome}`).click();
      return;
    case 'commission_decision':
      // The date input takes dd.MM.yyyy, as every date in Kense is written.
      await page.getByTestId('meeting-date').fill(e.payload.meetingDate.split('-').reverse().join('.'));
      await page.getByTestId('minutes-no').fill(e.payload.minutesNo);
      if (e.payload.decision === 'refused') await page.getByTestId('refusal-ground').fill(e.payload.ground ?? '—');
      await page.getByTestId(`do-commission-${e.payload.decision}`).click();
      return;
    case 'signed':
      await page.getByTestId('do-signed').click();
      return;
    case 'documents_received':
      await page.getByTestId('do-documents-received').click();
      return;
    case 'issued':
      await page.getByTestId('issue-mode').selectOption(e.payload.mode);
      await page.getByTestId('do-issued').click();
      return;
    default:
      throw new Error(`the e2e helper does not perform ${e.kind}`);
  }
}

/** What the card must show once the events so far are recorded. */
export async function expectCardAt(page: Page, state: ApplicationState): Promise<void> {
  await expect(page.getByTestId('timeline').locator('li')).toHaveCount(state.history.length);
  if (state.step) {
    await expect(page.getByTestId('card-step')).toContainText(`${state.step.n}. ${state.step.action.kk}`);
  } else {
    await expect(page.getByTestId('card-step')).toHaveCount(0);
  }
}

/** The engine's plan for a service's variant: every action after registration, in order. */
export function plan(s: ServiceDefinition, variantId: string, refuse = false): EventDoc[] {
  const r = drive({ service: s, variantId, calendar: DEFAULT_CALENDAR, start: Date.now(), refuse });
  return r.events;
}

/** The state after the first `n` events of a plan (registration included). */
export function stateAfter(s: ServiceDefinition, events: EventDoc[], n: number): ApplicationState {
  return fold({
    appId: events[0]?.appId ?? 'A1',
    events: events.slice(0, n),
    service: () => s,
    calendar: DEFAULT_CALENDAR,
    now: Date.parse(events[n - 1]?.at ?? new Date().toISOString()),
  });
}

export const roleOf = (e: EventDoc): StaffRole => e.actor.role;
export { actAs };

/**
 * The quickest registration at reception: a citizen asking for a wheelchair (the first service the
 * search for "кресло" offers), every document received. Returns the registration number.
 */
export async function registerWheelchair(page: Page): Promise<string> {
  await page.goto('./#/reception');
  if (await page.getByTestId('next-application').count()) await page.getByTestId('next-application').click();
  await page.getByTestId('applicant-id').fill('900101300017');
  await page.getByTestId('person-surname').fill('Сейітқали');
  await page.getByTestId('person-name').fill('Әлия');
  await page.getByTestId('service-search').fill('кресло');
  await page.keyboard.press('Enter');
  await page.getByTestId('all-received').click();
  await page.getByTestId('register').click();
  await expect(page.getByTestId('reg-number')).toBeVisible();
  return (await page.getByTestId('reg-number').textContent()) ?? '';
}
