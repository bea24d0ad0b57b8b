import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from '@shared/calendar';
import { loadCatalogue } from '@shared/catalogue';
import { testPermitService } from '../../tests/fixtures/testService';
import type { ApplicationRow } from '../data/store/readModel';
import { createI18n } from '../i18n';
import { ApplicationTable } from './ApplicationTable';
import { throwawayDeskKeys } from '../data/seal/deskKeys';
import { applicationRow } from '../../tests/fixtures/applicationRow';

const keys = throwawayDeskKeys();

// The list asks for the next page only when the end of what is loaded comes into view.
const catalogue = loadCatalogue([testPermitService]);
const row = (i: number): ApplicationRow =>
  applicationRow({ appId: `a${i}`, regNumber: `ALM01-D01-${String(i + 1).padStart(6, '0')}` });

beforeAll(async () => {
  // Registers itself with react-i18next (initReactI18next), as the app does.
  await createI18n('kk');
});

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

describe('ApplicationTable paging', () => {
  it('renders a screenful, and asks for more only when scrolled to the end of the loaded rows', async () => {
    const style = document.createElement('style');
    style.textContent = '.app-list-body { height: 400px; overflow-y: auto; }';
    document.head.append(style);
    const host = document.createElement('div');
    document.body.append(host);
    const root = createRoot(host);
    cleanup.push(() => {
      root.unmount();
      host.remove();
      style.remove();
    });
    const asked: number[] = [];
    const rows = Array.from({ length: 50 }, (_, i) => row(i));
    await act(async () => {
      root.render(
        <MemoryRouter>
          <ApplicationTable
            rows={rows}
            total={1000}
            onMore={(n) => asked.push(n)}
            catalogue={catalogue}
            calendar={DEFAULT_CALENDAR}
            keys={await keys}
          />
        </MemoryRouter>,
      );
      await new Promise((r) => setTimeout(r, 50));
    });
    // A screenful plus overscan, not the 50 loaded rows; the count is the total, not what is loaded.
    expect(host.querySelectorAll('[data-testid="application-row"]').length).toBeLessThan(30);
    expect(host.querySelector('[data-testid="applications-count"]')?.textContent).toMatch(/^1\D?000 /);
    expect(asked).toEqual([]);
    const scroller = host.querySelector('.app-list-body');
    if (!scroller) throw new Error('no list');
    await act(async () => {
      scroller.scrollTop = scroller.scrollHeight;
      scroller.dispatchEvent(new Event('scroll'));
      await new Promise((r) => setTimeout(r, 100));
    });
    expect(asked).toContain(50);
  });
});
