import '@fontsource/noto-sans/cyrillic-ext-400.css';
import '@fontsource/noto-sans/cyrillic-ext-600.css';
import '@fontsource/noto-sans/cyrillic-400.css';
import '@fontsource/noto-sans/cyrillic-600.css';
import '@fontsource/noto-sans/latin-400.css';
import '@fontsource/noto-sans/latin-600.css';
import '../../styles/app.css';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { MemoryRouter } from 'react-router';
import { afterAll, describe, expect, it } from 'vitest';
import { cdp, page } from 'vitest/browser';
import { TopBar } from '../../app/TopBar';
import type { SyncSnapshot } from '../../data/sync/sync';
import { createI18n } from '../../i18n';
import { useSession } from '../../state/session';
import { useSyncStatus } from '../../state/sync';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
afterAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
});

/** A desk part-way through pushing a day's work over a slow line. */
const syncing = (progress: SyncSnapshot['progress']): SyncSnapshot => ({
  target: 'central',
  state: 'syncing',
  lastSyncAt: null,
  pendingLocal: 1200,
  error: null,
  refused: [],
  pulled: 0,
  pushed: 0,
  download: null,
  progress,
});

async function topBar(lang: 'kk' | 'ru', snapshot: SyncSnapshot): Promise<{ el: HTMLElement; done: () => void }> {
  useSession.setState({
    office: 'ALM01',
    desk: 'D01',
    server: 'http://central',
    user: { login: 'aigerim', displayName: 'Сейітова Айгерім', role: 'clerk', roles: ['clerk'], mode: 'online' },
  });
  useSyncStatus.setState({
    targets: { central: 'http://central', hub: null },
    username: 'aigerim',
    password: 'secret',
    snapshots: { central: snapshot },
  });
  const i18n = await createI18n(lang);
  const el = document.createElement('div');
  // The page as the app lays it out: the top bar over an empty 768 px high page.
  el.style.minHeight = '768px';
  document.body.appendChild(el);
  const root = createRoot(el);
  await act(async () => {
    root.render(
      <I18nextProvider i18n={i18n}>
        <MemoryRouter>
          <TopBar />
        </MemoryRouter>
      </I18nextProvider>,
    );
    await new Promise((r) => setTimeout(r, 0));
  });
  return {
    el,
    done: () => {
      act(() => root.unmount());
      el.remove();
    },
  };
}

const progressText = (el: HTMLElement): string | null =>
  el.querySelector('[data-testid="sync-progress"]')?.textContent ?? null;

describe('the sync indicator while events move: how many are left and how fast', () => {
  it('says it in Kazakh and Russian, numbers grouped with a non-breaking space', async () => {
    // The desk's screen, 1366 × 768: the browser window and the test's frame both.
    await cdp().send('Emulation.setDeviceMetricsOverride', {
      width: 1366,
      height: 768,
      deviceScaleFactor: 1,
      mobile: false,
    });
    await page.viewport(1366, 768);
    for (const [lang, expected] of [
      ['kk', '1\u00a0137 оқиға қалды · минутына 1\u00a0180'],
      ['ru', 'Осталось 1\u00a0137 событий · 1\u00a0180 в минуту'],
    ] as const) {
      const { el, done } = await topBar(lang, syncing({ direction: 'up', left: 1137, perMinute: 1180 }));
      expect(progressText(el)).toBe(expected);
      // The count badge would say the same number again (and an older one): not shown meanwhile.
      expect(el.querySelector('[data-testid="sync-pending"]')).toBeNull();
      await document.fonts.ready;
      // Looked at by eye: artifacts/screenshots/sync-progress-<lang>.png (git-ignored).
      await page.screenshot({
        path: `../../../artifacts/screenshots/sync-progress-${lang}.png`,
        element: document.documentElement,
      });
      done();
    }
  });

  it('before any rate is known, only what is left; Russian plural forms', async () => {
    const cases = [
      [1, 'Осталось 1 событие'],
      [3, 'Осталось 3 события'],
      [25, 'Осталось 25 событий'],
    ] as const;
    for (const [left, expected] of cases) {
      const { el, done } = await topBar('ru', syncing({ direction: 'up', left, perMinute: null }));
      expect(progressText(el)).toBe(expected);
      done();
    }
    const { el, done } = await topBar('kk', syncing({ direction: 'up', left: 21, perMinute: null }));
    expect(progressText(el)).toBe('21 оқиға қалды');
    done();
  });

  it('nothing moving, nothing said; what central lacks stays in the badge, grouped', async () => {
    const { el, done } = await topBar('kk', { ...syncing(null), state: 'offline', pendingLocal: 1200 });
    expect(progressText(el)).toBeNull();
    expect(el.querySelector('[data-testid="sync-pending"]')?.textContent).toBe('1\u00a0200');
    done();
  });
});

describe('the sync indicator during a first download', () => {
  const details = async (lang: 'kk' | 'ru', snapshot: SyncSnapshot): Promise<{ el: HTMLElement; done: () => void }> => {
    const bar = await topBar(lang, snapshot);
    await act(async () => {
      bar.el.querySelector<HTMLButtonElement>('[data-testid="sync-indicator"]')?.click();
      await new Promise((r) => setTimeout(r, 0));
    });
    return bar;
  };
  const text = (el: HTMLElement, id: string): string | null | undefined =>
    el.querySelector(`[data-testid="${id}"]`)?.textContent;

  it('says first that the inbox is ready, then applications and time left, then documents, grouped', async () => {
    const snapshot: SyncSnapshot = {
      ...syncing({ direction: 'down', left: 38_766, perMinute: 72_000 }),
      pendingLocal: null,
      download: {
        have: 14_234,
        total: 53_000,
        apps: { have: 2_410, total: 10_000 },
        openDone: true,
        etaMs: 32 * 60_000,
      },
    };
    for (const [lang, bar, ready, apps, docs] of [
      [
        'kk',
        'Өтініштер 2\u00a0410 / 10\u00a0000',
        'Ашық өтініштер жүктелді: кіріс жәшігімен жұмыс істей беріңіз, тарих фонда жүктеліп жатыр.',
        'Өтініштер: 2\u00a0410 / 10\u00a0000, шамамен 32 минут қалды.',
        'Құжаттар: 14\u00a0234 / 53\u00a0000. Үзілсе, тоқтаған жерінен жалғасады.',
      ],
      [
        'ru',
        'Заявления 2\u00a0410 из 10\u00a0000',
        'Открытые заявления загружены: можно работать со входящими, история догружается в фоне.',
        'Заявления: 2\u00a0410 из 10\u00a0000, осталось около 32 минут.',
        'Документы: 14\u00a0234 из 53\u00a0000. Если загрузка прервётся, она продолжится с того же места.',
      ],
    ] as const) {
      const { el, done } = await details(lang, snapshot);
      // The top bar counts applications (exact), not documents against an approximate total.
      expect(text(el, 'sync-download')).toBe(bar);
      expect(text(el, 'sync-target-central-download-open')).toBe(ready);
      expect(el.querySelector('[data-testid="sync-target-central-download-open"]')?.className).toBe('sync-ready');
      expect(text(el, 'sync-target-central-download-apps')).toBe(apps);
      expect(text(el, 'sync-target-central-download')).toBe(docs);
      await document.fonts.ready;
      // Looked at by eye: artifacts/screenshots/first-download-<lang>.png (git-ignored).
      await page.screenshot({
        path: `../../../artifacts/screenshots/first-download-${lang}.png`,
        element: document.documentElement,
      });
      done();
    }
  });

  it('before the open applications are here and before any estimate: says so, and no made-up time', async () => {
    const snapshot: SyncSnapshot = {
      ...syncing({ direction: 'down', left: 500, perMinute: null }),
      pendingLocal: null,
      download: { have: 0, total: 500, apps: { have: 0, total: 120 }, openDone: false, etaMs: null },
    };
    const { el, done } = await details('ru', snapshot);
    expect(text(el, 'sync-target-central-download-open')).toBe(
      'Сначала загружаются открытые заявления: входящие скоро заполнятся.',
    );
    expect(el.querySelector('[data-testid="sync-target-central-download-open"]')?.className).toBe('');
    expect(text(el, 'sync-target-central-download-apps')).toBe('Заявления: 0 из 120.');
    done();
  });

  it('a live catch-up (no first download) keeps the approximate documents line, in correct Russian', async () => {
    for (const [have, expected] of [
      [1, 'загружен 1 документ'],
      [3, 'загружено 3 документа'],
      [25, 'загружено 25 документов'],
    ] as const) {
      const { el, done } = await details('ru', {
        ...syncing({ direction: 'down', left: 100, perMinute: null }),
        download: { have, total: 600 },
      });
      expect(text(el, 'sync-download')).toBe(`Загружено ${String(have)} из ~600`);
      expect(text(el, 'sync-target-central-download')).toContain(
        `Первая загрузка: ${expected}, на сервере примерно 600.`,
      );
      expect(el.querySelector('[data-testid="sync-target-central-download-apps"]')).toBeNull();
      done();
    }
  });
});
