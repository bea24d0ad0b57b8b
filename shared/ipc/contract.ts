import { z } from 'zod';

/**
 * The contract between the renderer and its host: the Electron preload bridge (`window.kense`)
 * and the browser-mode implementation satisfy the same interface. Every payload that crosses
 * the Electron IPC boundary is validated in the main process with these schemas.
 */

export const UI_LANGUAGES = ['kk', 'ru'] as const;
export const uiLanguageSchema = z.enum(UI_LANGUAGES);
export type UiLanguage = z.infer<typeof uiLanguageSchema>;
/** Kazakh is the default language of the UI. */
export const DEFAULT_LANGUAGE: UiLanguage = 'kk';

/** The sections of the app; the menu and the router use the same names. */
export const SECTIONS = ['reception', 'inbox', 'applications', 'journals', 'reports', 'catalogue', 'settings'] as const;
export const sectionSchema = z.enum(SECTIONS);
export type Section = z.infer<typeof sectionSchema>;

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.enum(['electron', 'browser']),
  os: z.string(),
  electronVersion: z.string().nullable(),
  chromeVersion: z.string().nullable(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** Commands the application menu sends to the renderer. */
export const menuCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('navigate'), section: sectionSchema }),
  z.object({ type: z.literal('setLanguage'), language: uiLanguageSchema }),
]);
export type MenuCommand = z.infer<typeof menuCommandSchema>;

export const printRequestSchema = z
  .object({
    /** Show the system print dialog (true) or print silently to `deviceName`. */
    dialog: z.boolean(),
    deviceName: z.string().min(1).max(256).optional(),
    copies: z.number().int().min(1).max(10).default(1),
  })
  .strict();
export type PrintRequest = z.input<typeof printRequestSchema>;

export const printResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), code: z.string() }),
]);
export type PrintResult = z.infer<typeof printResultSchema>;

/** IPC channel names: renderer → main requests (invoke/handle) and main → renderer events. */
export const IPC = {
  getAppInfo: 'kense:get-app-info',
  setUiLanguage: 'kense:set-ui-language',
  print: 'kense:print',
  menuCommand: 'kense:menu-command',
} as const;

/** Payload schema per request channel; the main process refuses anything else. */
export const ipcRequestSchemas = {
  [IPC.getAppInfo]: z.undefined(),
  [IPC.setUiLanguage]: uiLanguageSchema,
  [IPC.print]: printRequestSchema,
} as const;
export type IpcRequestChannel = keyof typeof ipcRequestSchemas;

/** What the renderer may call on its host: `window.kense` in Electron, a web implementation in browser mode. */
export interface KenseBridge {
  readonly platform: 'electron' | 'browser';
  getAppInfo(): Promise<AppInfo>;
  /** Tells the host the UI language (the Electron menu follows it). */
  setUiLanguage(language: UiLanguage): Promise<void>;
  /** Prints the current page; the dialog in browser mode. */
  print(request: PrintRequest): Promise<PrintResult>;
  /** Subscribes to application-menu commands; returns the unsubscribe function. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}
