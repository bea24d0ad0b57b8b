import Dexie from 'dexie';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '@shared/catalogue';
import { seedStaffDirectory, staffEntry } from '../../../tests/fixtures/staffDirectory';
import { testPermitService } from '../../../tests/fixtures/testService';
import { Desk } from '../../data/desk';
import { throwawayDeskKeys } from '../../data/seal/deskKeys';
import { PouchDB } from '../../data/store/pouch';
import { readModelName } from '../../data/store/readModel';
import type { ExecutorChoice } from '../../data/read/staff';
import { createI18n } from '../../i18n';
import { ExecutorPicker } from './ExecutorPicker';

const keys = throwawayDeskKeys();
const catalogue = loadCatalogue([testPermitService]);

beforeAll(async () => {
  await createI18n('ru');
});

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function mount(): Promise<{ desk: Desk; host: HTMLElement; chosen: (ExecutorChoice | null)[] }> {
  const dbName = `picker_${Math.random().toString(36).slice(2, 8)}`;
  const desk = await Desk.open({ office: 'ALM01', desk: 'D01', dbName, keys: await keys }, catalogue);
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  const chosen: (ExecutorChoice | null)[] = [];
  cleanup.push(async () => {
    root.unmount();
    host.remove();
    await desk.close();
    await Dexie.delete(readModelName(dbName));
    await new PouchDB(dbName, { adapter: 'indexeddb' }).destroy();
  });
  await act(async () => {
    root.render(<ExecutorPicker desk={desk} now={Date.now()} value={null} onChange={(c) => chosen.push(c)} />);
    await new Promise((r) => setTimeout(r, 100));
  });
  return { desk, host, chosen };
}

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 100 && !check(); i++) await act(() => new Promise((r) => setTimeout(r, 20)));
  expect(check()).toBe(true);
};

/** Sets the value as typing does (past React's own value tracking) and fires the input event. */
function type(input: HTMLInputElement, text: string): void {
  const descriptor = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');
  descriptor?.set?.call(input, text);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('ExecutorPicker', () => {
  it('says plainly that there is no staff directory yet, and offers no free text', async () => {
    const { host } = await mount();
    await until(() => host.querySelector('[data-testid="no-staff-directory"]') !== null);
    expect(host.textContent).toContain('ещё нет справочника сотрудников');
    expect(host.querySelector('input')).toBeNull();
  });

  it('offers the active executors as the directory arrives, by name in either script, and says when nothing matches', async () => {
    const { desk, host, chosen } = await mount();
    await seedStaffDirectory(desk.office.db, [
      staffEntry('dana', 'Омарова Дана'),
      staffEntry('asel', 'Серікова Әсел'),
      staffEntry('gone', 'Кеткенов Қайрат', { active: false }),
    ]);
    await desk.settled();
    await until(() => host.querySelector('[data-testid="executor-search"]') !== null);
    const input = host.querySelector<HTMLInputElement>('[data-testid="executor-search"]');
    if (!input) throw new Error('no input');
    act(() => {
      input.focus();
      type(input, 'сериков');
    });
    const options = (): string[] =>
      [...host.querySelectorAll('[data-testid="executor-option"]')].map((o) => o.getAttribute('data-login') ?? '');
    expect(options()).toEqual(['asel']);
    expect(host.querySelector('[data-testid="executor-option"]')?.textContent).toContain('открытых заявлений нет');
    act(() => type(input, 'Кеткенов'));
    expect(options()).toEqual([]);
    expect(host.querySelector('[data-testid="executor-none"]')?.textContent).toBe('Ничего не найдено');
    act(() => type(input, 'Ома'));
    act(() => {
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    expect(chosen.at(-1)).toMatchObject({ login: 'dana', fullName: 'Омарова Дана', open: 0 });
  });
});
