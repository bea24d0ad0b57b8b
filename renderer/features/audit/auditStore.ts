import { create } from 'zustand';
import type { AuditReport } from '@shared/audit';
import { checkReplica, type Desk, type ScanProgress } from '../../data';

export interface CheckResult {
  at: number;
  report: AuditReport;
}

interface AuditState {
  /** The last integrity check of each office database (by its name), for this session. */
  results: Record<string, CheckResult>;
  running: { db: string; progress: ScanProgress | null } | null;
  failure: { db: string; message: string } | null;
  run: (desk: Desk) => Promise<void>;
}

/** One integrity check at a time, shared by the audit screen and the application card. */
export const useAudit = create<AuditState>()((set, get) => ({
  results: {},
  running: null,
  failure: null,
  run: async (desk) => {
    if (get().running) return;
    const db = desk.office.name;
    set({ running: { db, progress: null }, failure: null });
    try {
      const report = await checkReplica(desk, (progress) => set({ running: { db, progress } }));
      set((s) => ({ results: { ...s.results, [db]: { at: Date.now(), report } }, running: null }));
    } catch (e) {
      set({ running: null, failure: { db, message: e instanceof Error ? e.message : String(e) } });
    }
  },
}));
