import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session } from 'electron';
import {
  DEFAULT_LANGUAGE,
  IPC,
  type AppInfo,
  type MenuCommand,
  type PdfResult,
  type PrinterInfo,
  type PrintResult,
  type UiLanguage,
} from '@shared/ipc/contract';
import kkMenu from '@locales/kk/menu.json';
import ruMenu from '@locales/ru/menu.json';
import { APP_ENTRY_URL, APP_HOST, APP_SCHEME, isAppUrl, mimeType, resolveAppAsset } from './appUrl';
import { contentSecurityPolicy, isSyncRequest } from './csp';
import { registerHubIpc } from './hub/register';
import { guardedHandler } from './ipc';
import { buildMenuTemplate } from './menu';
import { pdfOptions, printFailureCode, printOptions, toPrinterInfo } from './print';
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
        headers: {
          'content-type': mimeType(file),
          'content-security-policy': contentSecurityPolicy(__KENSE_SYNC_ORIGINS__),
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

/** Electron's checklist: deny permissions, navigation, new windows and webviews by default. */
function hardenSessionsAndContents(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // No request may leave for a remote origin except the sync servers that the CSP allows.
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    const url = details.url;
    const local =
      url.startsWith(`${APP_SCHEME}://${APP_HOST}/`) ||
      url.startsWith('devtools:') ||
      url.startsWith('data:') ||
      url.startsWith('blob:') ||
      (DEV_SERVER_URL !== undefined && isAppUrl(url, DEV_SERVER_URL)) ||
      isSyncRequest(url, __KENSE_SYNC_ORIGINS__);
    callback({ cancel: !local });
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, DEV_SERVER_URL)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url, DEV_SERVER_URL)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
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
  ipcMain.handle(
    IPC.getAppInfo,
    guardedHandler(
      IPC.getAppInfo,
      (): AppInfo => ({
        name: app.getName(),
        version: app.getVersion(),
        platform: 'electron',
        os: `${process.platform} ${process.arch}`,
        electronVersion: process.versions.electron ?? null,
        chromeVersion: process.versions.chrome ?? null,
      }),
      DEV_SERVER_URL,
    ),
  );
  ipcMain.handle(
    IPC.setUiLanguage,
    guardedHandler(
      IPC.setUiLanguage,
      async (next) => {
        if (next !== language) {
          language = next;
          installMenu();
          await writeJson(prefsPath(), { language });
        }
      },
      DEV_SERVER_URL,
    ),
  );
  ipcMain.handle(
    IPC.print,
    guardedHandler(
      IPC.print,
      (request, event) =>
        new Promise<PrintResult>((resolve) => {
          try {
            event.sender.print(printOptions(request), (success, failureReason) =>
              resolve(success ? { ok: true } : { ok: false, code: printFailureCode(failureReason) }),
            );
          } catch {
            // Electron throws synchronously on settings the driver refuses (e.g. an unknown page size).
            resolve({ ok: false, code: 'print.failed' });
          }
        }),
      DEV_SERVER_URL,
    ),
  );
  ipcMain.handle(
    IPC.printToPdf,
    guardedHandler(
      IPC.printToPdf,
      async (request, event): Promise<PdfResult> => {
        try {
          const pdf = await event.sender.printToPDF(pdfOptions(request));
          // A plain Uint8Array (not a Node Buffer) is what crosses IPC and contextBridge intact.
          return { ok: true, data: new Uint8Array(pdf) };
        } catch {
          return { ok: false, code: 'print.failed' };
        }
      },
      DEV_SERVER_URL,
    ),
  );
  ipcMain.handle(
    IPC.getPrinters,
    guardedHandler(
      IPC.getPrinters,
      async (_none, event): Promise<PrinterInfo[]> => {
        try {
          return (await event.sender.getPrintersAsync()).map(toPrinterInfo);
        } catch {
          return [];
        }
      },
      DEV_SERVER_URL,
    ),
  );
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
  registerHubIpc(DEV_SERVER_URL);
  installMenu();
  await createWindow();
}

void main();
