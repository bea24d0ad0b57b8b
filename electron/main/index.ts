import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, screen, session } from 'electron';
import { DEFAULT_LANGUAGE, IPC, type AppInfo, type MenuCommand, type UiLanguage } from '@shared/ipc/contract';
import kkMenu from '@locales/kk/menu.json';
import ruMenu from '@locales/ru/menu.json';
import { APP_ENTRY_URL, APP_SCHEME, mimeType, resolveAppAsset } from './appUrl';
import { appResponseHeaders } from './csp';
import { CaptureGate, hardenSession, hardenWebContents } from './guards';
import { ipcHandlers } from './handlers';
import { embeddedHub } from './hub/register';
import { createKeyStore, directoryKeyFiles } from './keyStore';
import { buildMenuTemplate } from './menu';
import { fitToDisplays, parseWindowState, type WindowState } from './windowState';

const here = path.dirname(fileURLToPath(import.meta.url));
const RENDERER_ROOT = path.join(here, '../renderer');
const PRELOAD = path.join(here, '../preload/index.cjs');
/** Set by electron-vite in `npm run dev` only; the packaged app never loads a remote URL. */
const DEV_SERVER_URL = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;

// The scheme must be privileged before `ready`: standard + secure gives it a real origin, so
// IndexedDB, fetch and the CSP behave as on https.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;
/** Web contents with the document-capture screen open: the only ones the camera is allowed to. */
const capture = new CaptureGate();
let language: UiLanguage = DEFAULT_LANGUAGE;

const statePath = (): string => path.join(app.getPath('userData'), 'window-state.json');
const prefsPath = (): string => path.join(app.getPath('userData'), 'shell-preferences.json');

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(value), 'utf8');
}

function serveApp(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppAsset(RENDERER_ROOT, request.url);
    if (file === null) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(Uint8Array.from(body), {
        headers: appResponseHeaders(mimeType(file), __KENSE_SYNC_ORIGINS__),
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

/** Electron's checklist: deny permissions, navigation, new windows and webviews by default (guards.ts). */
function hardenSessionsAndContents(): void {
  // No request may leave for a remote origin except the sync servers the CSP names.
  hardenSession(session.defaultSession, {
    ...(DEV_SERVER_URL !== undefined ? { devServerUrl: DEV_SERVER_URL } : {}),
    connectOrigins: __KENSE_SYNC_ORIGINS__,
    capture,
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, DEV_SERVER_URL));
}

function sendMenuCommand(command: MenuCommand): void {
  mainWindow?.webContents.send(IPC.menuCommand, command);
}

function installMenu(): void {
  const texts = language === 'kk' ? kkMenu : ruMenu;
  const template = buildMenuTemplate({
    language,
    isDev: DEV_SERVER_URL !== undefined,
    send: sendMenuCommand,
    showAbout: () => {
      const options = {
        type: 'info' as const,
        title: texts.about,
        message: `Kense ${app.getVersion()}`,
        detail: texts.aboutDetail,
      };
      void (mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options));
    },
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function registerIpc(): void {
  const keyStore = createKeyStore({
    safeStorage,
    files: directoryKeyFiles(path.join(app.getPath('userData'), 'keys')),
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
    platform: process.platform,
  });
  const handlers = ipcHandlers({
    appInfo: (): AppInfo => ({
      name: app.getName(),
      version: app.getVersion(),
      platform: 'electron',
      os: `${process.platform} ${process.arch}`,
      electronVersion: process.versions.electron ?? null,
      chromeVersion: process.versions.chrome ?? null,
    }),
    setLanguage: async (next) => {
      if (next !== language) {
        language = next;
        installMenu();
        await writeJson(prefsPath(), { language });
      }
    },
    keyStore,
    hub: embeddedHub(),
    capture,
    ...(DEV_SERVER_URL !== undefined ? { devServerUrl: DEV_SERVER_URL } : {}),
  });
  for (const [channel, handler] of Object.entries(handlers)) ipcMain.handle(channel, handler);
}

async function createWindow(): Promise<void> {
  const stored = parseWindowState(await readJson(statePath()));
  const bounds = fitToDisplays(
    stored,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    width: bounds.width,
    height: bounds.height,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Kense',
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  mainWindow = win;
  if (bounds.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  let saveTimer: NodeJS.Timeout | undefined;
  const saveState = (): void => {
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    const state: WindowState = { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
    void writeJson(statePath(), state);
  };
  const scheduleSave = (): void => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveState, 500);
  };
  win.on('resize', scheduleSave);
  win.on('move', scheduleSave);
  win.on('close', saveState);
  win.on('closed', () => {
    mainWindow = null;
  });

  await win.loadURL(DEV_SERVER_URL ?? APP_ENTRY_URL);
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());

  await app.whenReady();
  const prefs = await readJson(prefsPath());
  if (
    prefs &&
    typeof prefs === 'object' &&
    'language' in prefs &&
    (prefs.language === 'kk' || prefs.language === 'ru')
  ) {
    language = prefs.language;
  }
  serveApp();
  hardenSessionsAndContents();
  registerIpc();
  installMenu();
  await createWindow();
}

void main();
