import { create } from 'zustand';
import type { DeskKeys } from '../data/deskKeys';

/**
 * The unlocked desk keys, in memory only: set when a person signs in (their password unwraps the
 * desk secret, or the Electron key store releases it), dropped at sign-out. Nothing personal can be
 * read or written on the desk while this is null.
 */
interface DeskKeysState {
  keys: DeskKeys | null;
  set: (keys: DeskKeys) => void;
  forget: () => void;
}

export const useDeskKeys = create<DeskKeysState>()((set) => ({
  keys: null,
  set: (keys) => set({ keys }),
  forget: () => set({ keys: null }),
}));
