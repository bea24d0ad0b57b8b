import type { KenseBridge } from '@shared/ipc/contract';
import { createWebBridge } from './webBridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    readonly kense?: KenseBridge;
  }
}

let cached: KenseBridge | null = null;

/** The host bridge: Electron's when the preload put one there, otherwise the web implementation. */
export function getBridge(): KenseBridge {
  cached ??= window.kense ?? createWebBridge(window);
  return cached;
}
