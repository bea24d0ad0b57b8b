import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { MenuCommand } from '@shared/ipc/contract';
import { buildMenuTemplate } from './menu';

function labels(items: MenuItemConstructorOptions[]): string[] {
  return items.map((i) => i.label ?? '');
}

function submenu(item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  return Array.isArray(item?.submenu) ? item.submenu : [];
}

describe('application menu', () => {
  it('is localized in Kazakh and Russian', () => {
    const opts = { isDev: false, send: () => undefined, showAbout: () => undefined };
    expect(labels(buildMenuTemplate({ ...opts, language: 'kk' }))).toEqual([
      'Файл',
      'Түзету',
      'Өту',
      'Көрініс',
      'Тіл',
      'Анықтама',
    ]);
    expect(labels(buildMenuTemplate({ ...opts, language: 'ru' }))).toEqual([
      'Файл',
      'Правка',
      'Переход',
      'Вид',
      'Язык',
      'Справка',
    ]);
  });

  it('navigates to sections and switches language through commands', () => {
    const sent: MenuCommand[] = [];
    const template = buildMenuTemplate({
      language: 'ru',
      isDev: false,
      send: (c) => sent.push(c),
      showAbout: () => undefined,
    });
    const go = submenu(template[2]);
    expect(go.map((i) => i.accelerator)).toEqual(['Alt+1', 'Alt+2', 'Alt+3', 'Alt+4', 'Alt+5', 'Alt+6', 'Alt+7']);
    (go[1]?.click as () => void)();
    const lang = submenu(template[4]);
    expect(lang.map((i) => [i.label, i.checked])).toEqual([
      ['Қазақша', false],
      ['Русский', true],
    ]);
    (lang[0]?.click as () => void)();
    expect(sent).toEqual([
      { type: 'navigate', section: 'inbox' },
      { type: 'setLanguage', language: 'kk' },
    ]);
  });

  it('offers developer tools only in development', () => {
    const opts = { language: 'kk' as const, send: () => undefined, showAbout: () => undefined };
    const roles = (dev: boolean): unknown[] =>
      submenu(buildMenuTemplate({ ...opts, isDev: dev })[3]).map((i) => i.role);
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toContain('toggleDevTools');
  });
});
