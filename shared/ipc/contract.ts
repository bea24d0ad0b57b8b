import { z } from 'zod';
import { hubHealthSchema } from '../hub/health';

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

/**
 * A page size for the printer: 'A4', or an explicit size in MICRONS. Receipt printers ignore the
 * driver's paper when printing silently (electron #9780, #12549, #31705), so rolls always pass
 * their width and the measured height of the document; Chromium refuses sides under 353 µm.
 */
export const MIN_PAGE_MICRONS = 353;
export const pageSizeSchema = z.union([
  z.literal('A4'),
  z
    .object({
      width: z.number().int().min(MIN_PAGE_MICRONS).max(420_000),
      height: z.number().int().min(MIN_PAGE_MICRONS).max(5_000_000),
    })
    .strict(),
]);
export type PageSize = z.infer<typeof pageSizeSchema>;

export const printRequestSchema = z
  .object({
    /** Show the system print dialog (true) or print silently to `deviceName`. */
    dialog: z.boolean(),
    deviceName: z.string().min(1).max(256).optional(),
    copies: z.number().int().min(1).max(10).default(1),
    /** Printed with no margins: the document carries its own white space. */
    pageSize: pageSizeSchema.optional(),
  })
  .strict();
export type PrintRequest = z.input<typeof printRequestSchema>;

export const printResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), code: z.string() }),
]);
export type PrintResult = z.infer<typeof printResultSchema>;

/** A PDF copy of the current page, laid out by its CSS `@page` size. */
export const pdfRequestSchema = z.object({ pageSize: pageSizeSchema }).strict();
export type PdfRequest = z.infer<typeof pdfRequestSchema>;

/** 20 MB: far more than any ticket or receipt, small enough to refuse nonsense. */
export const MAX_PDF_BYTES = 20 * 1024 * 1024;
/** The PDF's bytes as a Uint8Array: it survives structured clone (IPC, contextBridge) unchanged. */
export const pdfResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    data: z
      .instanceof(Uint8Array)
      .refine((b) => b.byteLength > 4 && b.byteLength <= MAX_PDF_BYTES, 'not a PDF of a sane size'),
  }),
  z.object({ ok: z.literal(false), code: z.string() }),
]);
export type PdfResult = z.infer<typeof pdfResultSchema>;

/** A printer known to the host; `name` is the system name that silent printing needs. */
export const printerInfoSchema = z.object({
  name: z.string().min(1).max(256),
  displayName: z.string().max(256),
  isDefault: z.boolean(),
});
export type PrinterInfo = z.infer<typeof printerInfoSchema>;
export const printerListSchema = z.array(printerInfoSchema).max(500);

/**
 * The desk's data key for encryption at rest (Electron only): 32 random bytes created on first
 * request, kept in the main process wrapped by the OS key store (`safeStorage`: DPAPI, Keychain,
 * libsecret/kwallet). `scope` is "<office>/<desk>". Refused where the OS store would only obfuscate.
 */
export const dataKeyRequestSchema = z.object({ scope: z.string().regex(/^[A-Z0-9]{2,16}\/[A-Z0-9]{2,16}$/) }).strict();
export type DataKeyRequest = z.infer<typeof dataKeyRequestSchema>;
export const DATA_KEY_BYTES = 32;
export const dataKeyResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), key: z.instanceof(Uint8Array).refine((k) => k.byteLength === DATA_KEY_BYTES) }),
  z.object({ ok: z.literal(false), code: z.enum(['key.osStoreUnavailable', 'key.unreadable', 'key.writeFailed']) }),
]);
export type DataKeyResult = z.infer<typeof dataKeyResultSchema>;

/**
 * The embedded office hub (desktop app only): serves the office database on the LAN and replicates
 * it with central. The password travels to the main process and stays in its memory, never on disk.
 */
const httpUrl = z
  .string()
  .max(2048)
  .refine((u) => /^https?:\/\/[^\s/]+/i.test(u), 'an http(s) address');
export const hubConfigSchema = z
  .object({
    enabled: z.boolean(),
    office: z.string().regex(/^[A-Z0-9]{2,16}$/),
    /** The address to listen on: 0.0.0.0 for the whole LAN, or one interface's address. */
    host: z
      .string()
      .min(1)
      .max(253)
      .regex(/^[A-Za-z0-9.-]+$/),
    port: z.number().int().min(1024).max(65535),
    central: z
      .object({
        url: httpUrl,
        user: z.string().min(1).max(256),
        /** May be empty only to turn the hub off. */
        password: z.string().max(1024),
      })
      .strict(),
    /**
     * Optional: the Kense central service (server/central), from which the hub copies the office's
     * staff accounts, asked as the hub account above, so that staff sign in and sync there with
     * their own login. Absent: nothing is copied.
     */
    serviceUrl: httpUrl.optional(),
  })
  .strict();
export type HubConfig = z.infer<typeof hubConfigSchema>;

export const HUB_ERRORS = ['hub.portInUse', 'hub.startFailed', 'hub.needsPassword'] as const;
export const hubStatusSchema = z.object({
  /** False in browser mode: a web page cannot serve the LAN. */
  available: z.boolean(),
  state: z.enum(['off', 'starting', 'running', 'failed']),
  /** Where desks on this machine reach it (other desks use this machine's LAN address and the port). */
  url: z.string().nullable(),
  uplink: z.enum(['connecting', 'online', 'offline']).nullable(),
  lastSyncAt: z.number().nullable(),
  error: z.enum(HUB_ERRORS).nullable(),
  /** Staff accounts copied from central (`off`: no central service given); logins and hashes never cross. */
  staff: z
    .object({
      state: z.enum(['off', 'pending', 'copied', 'refused', 'unreachable']),
      count: z.number().int().min(0),
      /** How many the hub cannot verify (SHA-256 hashes of CouchDB 3.4), left out. */
      skipped: z.number().int().min(0),
      lastCopyAt: z.number().nullable(),
    })
    .nullable(),
  /** The hub's own health report (its status endpoint's JSON); null while it is not running. */
  health: hubHealthSchema.nullable(),
  /** The saved settings, without the passwords. */
  config: hubConfigSchema
    .omit({ central: true, serviceUrl: true })
    .extend({ centralUrl: z.string(), user: z.string(), serviceUrl: z.string().nullable() })
    .nullable(),
});
export type HubStatusReport = z.infer<typeof hubStatusSchema>;

/** IPC channel names: renderer → main requests (invoke/handle) and main → renderer events. */
export const IPC = {
  getAppInfo: 'kense:get-app-info',
  setUiLanguage: 'kense:set-ui-language',
  print: 'kense:print',
  printToPdf: 'kense:print-to-pdf',
  getPrinters: 'kense:get-printers',
  getDataKey: 'kense:get-data-key',
  getHubStatus: 'kense:get-hub-status',
  configureHub: 'kense:configure-hub',
  menuCommand: 'kense:menu-command',
  setCaptureOpen: 'kense:set-capture-open',
} as const;

/** Payload schema per request channel; the main process refuses anything else. */
export const ipcRequestSchemas = {
  [IPC.getAppInfo]: z.undefined(),
  [IPC.setUiLanguage]: uiLanguageSchema,
  [IPC.print]: printRequestSchema,
  [IPC.printToPdf]: pdfRequestSchema,
  [IPC.getPrinters]: z.undefined(),
  [IPC.getDataKey]: dataKeyRequestSchema,
  [IPC.getHubStatus]: z.undefined(),
  [IPC.configureHub]: hubConfigSchema,
  [IPC.setCaptureOpen]: z.boolean(),
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
  /** A PDF of the current page; browser mode answers `{ ok: false, code: 'print.pdfUnavailable' }`. */
  printToPdf(request: PdfRequest): Promise<PdfResult>;
  /** The printers the host can print to silently; [] in browser mode (the browser's dialog chooses). */
  getPrinters(): Promise<PrinterInfo[]>;
  /** The embedded office hub's state; `available: false` in browser mode (absent: no hub either). */
  getHubStatus?(): Promise<HubStatusReport>;
  /** Enables (or re-configures, or disables) the embedded office hub. */
  configureHub?(config: HubConfig): Promise<HubStatusReport>;
  /** Subscribes to application-menu commands; returns the unsubscribe function. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  /**
   * Electron only: the desk's data key from the OS key store. Browser mode has none: there the
   * key is held in memory, wrapped under each known user's password (docs/threat-model.md).
   */
  getDataKey?(request: DataKeyRequest): Promise<DataKeyResult>;
  /**
   * Electron only: the document-capture screen opened or closed; the camera is allowed to the app
   * only while it is open (electron/main/guards.ts). Browser mode: the browser asks the user.
   */
  setCaptureOpen?(open: boolean): Promise<void>;
}

/** Every member the host exposes: the preload's `window.kense` must have exactly these. */
export const BRIDGE_MEMBERS = [
  'platform',
  'getAppInfo',
  'setUiLanguage',
  'print',
  'printToPdf',
  'getPrinters',
  'onMenuCommand',
  'getDataKey',
  'getHubStatus',
  'configureHub',
  'setCaptureOpen',
] as const satisfies readonly (keyof KenseBridge)[];
// Compile-time: the list names every member of the interface, no more, no fewer.
type MissingMember = Exclude<keyof KenseBridge, (typeof BRIDGE_MEMBERS)[number]>;
export const BRIDGE_MEMBERS_COMPLETE: MissingMember extends never ? true : never = true;
