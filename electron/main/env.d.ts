/** Sync server origins allowed in connect-src, fixed at build time (electron.vite.config.ts). */
declare const __KENSE_SYNC_ORIGINS__: readonly string[];
