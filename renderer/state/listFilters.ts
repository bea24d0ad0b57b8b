import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { z } from 'zod';
import { DEFAULT_APPLICATIONS_QUERY, DEFAULT_INBOX_QUERY, LIST_SORTS, type ListQuery } from '../data/read/lists';

/**
 * What each list is filtered, sorted and searched by, kept while the window is open (sessionStorage:
 * a reload keeps it, a restart starts afresh): opening a card and coming back finds the list as it was.
 */
export type ListName = 'inbox' | 'applications';

export interface ListView {
  query: ListQuery;
  search: string;
}

export const LIST_DEFAULTS: Record<ListName, ListView> = {
  inbox: { query: DEFAULT_INBOX_QUERY, search: '' },
  applications: { query: DEFAULT_APPLICATIONS_QUERY, search: '' },
};

interface ListFiltersState {
  views: Record<ListName, ListView>;
  setView: (list: ListName, change: (v: ListView) => ListView) => void;
  reset: (list: ListName) => void;
}

export const LIST_FILTERS_KEY = 'kense.lists';

const text = z.string().max(200).optional().catch(undefined);
const viewSchema = z.object({
  query: z.object({
    filters: z
      .object({
        status: text,
        serviceId: text,
        stepKind: text,
        executor: text,
        channel: text,
        overdue: z.boolean().optional().catch(undefined),
        from: text,
        to: text,
      })
      .catch({}),
    sort: z.enum(LIST_SORTS),
    desc: z.boolean(),
  }),
  search: z.string().max(200),
});

export const useListFilters = create<ListFiltersState>()(
  persist(
    (set) => ({
      views: LIST_DEFAULTS,
      setView: (list, change) => set((s) => ({ views: { ...s.views, [list]: change(s.views[list]) } })),
      reset: (list) => set((s) => ({ views: { ...s.views, [list]: LIST_DEFAULTS[list] } })),
    }),
    {
      name: LIST_FILTERS_KEY,
      version: 1,
      storage: createJSONStorage(() => sessionStorage),
      partialize: (s) => ({ views: s.views }),
      // Anything malformed falls back to the list's defaults.
      merge: (persisted, current) => {
        const p = (persisted as { views?: Record<string, unknown> } | null)?.views ?? {};
        const view = (list: ListName): ListView => {
          const r = viewSchema.safeParse(p[list]);
          return r.success ? r.data : LIST_DEFAULTS[list];
        };
        return { ...current, views: { inbox: view('inbox'), applications: view('applications') } };
      },
    },
  ),
);
