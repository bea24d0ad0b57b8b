import { create } from 'zustand';
import type { PurgeReport } from '../data/purge/purge';

/** The purge of closed applications, as the Settings screen shows it. */
export interface PurgeStatus {
  /** The last run of this session (the stored one is read by the screen itself). */
  report: PurgeReport | null;
  running: boolean;
  /** Set by the controller while a server is configured: runs the purge now. */
  runNow: (() => Promise<void>) | null;
}

export const usePurgeStatus = create<PurgeStatus>()(() => ({ report: null, running: false, runNow: null }));
