import { create } from 'zustand';
import type { DeskKeys } from '../data/seal/deskKeys';

/**
 * The unlocked desk keys, in memory only: set when a person signs in (their password unwraps the
 * desk secret, or the Electron key store releases it), dropped at sign-out. Nothing personal can be
 * read or written on the desk while this is null.
 */
interface DeskKeysState {
  keys: DeskKeys | null;
  /** What the unlock found and the person should hear of (features/auth DeskKeyNotice). */
  warning: 'deskKey.escrowForeign' | null;
  set: (keys: DeskKeys) => void;
  warn: (warning: 'deskKey.escrowForeign' | null) => void;
  forget: () => void;
}

export const useDeskKeys = create<DeskKeysState>()((set) => ({
  keys: null,
  warning: null,
  set: (keys) => set({ keys }),
  warn: (warning) => set({ warning }),
  forget: () => set({ keys: null, warning: null }),
}));
