import type { MenuItemConstructorOptions } from 'electron';
import kkMenu from '@locales/kk/menu.json';
import ruMenu from '@locales/ru/menu.json';
import kkNav from '@locales/kk/nav.json';
import ruNav from '@locales/ru/nav.json';
import { SECTIONS, type MenuCommand, type UiLanguage } from '@shared/ipc/contract';

type MenuTexts = typeof kkMenu;
type NavTexts = typeof kkNav;
const TEXTS: Record<UiLanguage, { menu: MenuTexts; nav: NavTexts }> = {
  kk: { menu: kkMenu, nav: kkNav },
  ru: { menu: ruMenu, nav: ruNav },
};

export interface MenuOptions {
  language: UiLanguage;
  isDev: boolean;
  send: (command: MenuCommand) => void;
  showAbout: () => void;
}

/** The localized application menu; rebuilt whenever the UI language changes. */
export function buildMenuTemplate(opts: MenuOptions): MenuItemConstructorOptions[] {
  const { menu, nav } = TEXTS[opts.language];
  const go: MenuItemConstructorOptions[] = SECTIONS.map((section, i) => ({
    label: nav[section],
    accelerator: `Alt+${i + 1}`,
    click: () => opts.send({ type: 'navigate', section }),
  }));
  const view: MenuItemConstructorOptions[] = [
    { label: menu.zoomIn, role: 'zoomIn' },
    { label: menu.zoomOut, role: 'zoomOut' },
    { label: menu.resetZoom, role: 'resetZoom' },
    { type: 'separator' },
    { label: menu.fullScreen, role: 'togglefullscreen' },
  ];
  if (opts.isDev) view.push({ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' });
  return [
    {
      label: menu.file,
      submenu: [
        { label: nav.settings, click: () => opts.send({ type: 'navigate', section: 'settings' }) },
        { type: 'separator' },
        { label: menu.quit, role: 'quit' },
      ],
    },
    {
      label: menu.edit,
      submenu: [
        { label: menu.undo, role: 'undo' },
        { label: menu.redo, role: 'redo' },
        { type: 'separator' },
        { label: menu.cut, role: 'cut' },
        { label: menu.copy, role: 'copy' },
        { label: menu.paste, role: 'paste' },
        { label: menu.selectAll, role: 'selectAll' },
      ],
    },
    { label: menu.go, submenu: go },
    { label: menu.view, submenu: view },
    {
      label: menu.language,
      submenu: (['kk', 'ru'] as const).map((language) => ({
        label: TEXTS[language].menu.languageName,
        type: 'radio' as const,
        checked: language === opts.language,
        click: () => opts.send({ type: 'setLanguage', language }),
      })),
    },
    { label: menu.help, submenu: [{ label: menu.about, click: opts.showAbout }] },
  ];
}
