import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { DEFAULT_LANGUAGE, uiLanguageSchema, type UiLanguage } from '@shared/ipc/contract';

/** Per-desk UI preferences, kept in the browser profile (never in shared documents). */
export interface PreferencesState {
  language: UiLanguage;
  setLanguage: (language: UiLanguage) => void;
}

export const PREFERENCES_KEY = 'kense.preferences';

export const usePreferences = create<PreferencesState>()(
  persist(
    (set) => ({
      language: DEFAULT_LANGUAGE,
      setLanguage: (language) => set({ language }),
    }),
    {
      name: PREFERENCES_KEY,
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ language: s.language }),
      // A hand-edited or corrupted entry falls back to the default instead of breaking start-up.
      merge: (persisted, current) => {
        const language = uiLanguageSchema.safeParse((persisted as { language?: unknown } | null)?.language);
        return { ...current, language: language.success ? language.data : current.language };
      },
    },
  ),
);
