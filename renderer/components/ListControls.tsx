import {
  hasFilters,
  LIST_SORTS,
  MIN_PREFIX,
  queryWords,
  staffDirectory,
  useLiveQuery,
  type Desk,
  type ListFilters,
  type ListSort,
} from '../data';
import { useMemo, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { CHANNELS as SERVICE_CHANNELS, STEP_KINDS, type Catalogue, type StepKind } from '@shared/catalogue';
import { STATUSES } from '@shared/workflow';
import { useListFilters, type ListName } from '../state/listFilters';
import { usePreferences } from '../state/preferences';
import { DateInput } from './DateInput';

/** Steps no one's inbox holds: the applicant's own (submit, consent) and the automatic ones. */
const NOT_IN_INBOXES: ReadonlySet<StepKind> = new Set<StepKind>(['submit', 'consent', 'system']);
/** The steps an application can wait at in someone's inbox: what the step filter offers. */
const INBOX_STEP_KINDS = STEP_KINDS.filter((k) => !NOT_IN_INBOXES.has(k));
const CHANNELS = [...SERVICE_CHANNELS];

/**
 * Search, filters and order of a list (Inbox, Applications): status, service, step, executor,
 * channel, overdue and the registration date range; due date, registration date or number, either
 * way. Kept per list in a store, so they are still there after opening a card.
 */
export function ListControls({
  list,
  desk,
  catalogue,
}: {
  list: ListName;
  desk: Desk;
  catalogue: Catalogue;
}): JSX.Element {
  const { t } = useTranslation();
  const language = usePreferences((s) => s.language);
  const view = useListFilters((s) => s.views[list]);
  const setView = useListFilters((s) => s.setView);
  const reset = useListFilters((s) => s.reset);
  const { filters, sort, desc } = view.query;
  const setFilter = <K extends keyof ListFilters>(key: K, value: ListFilters[K] | ''): void =>
    setView(list, (v) => {
      const next: ListFilters = { ...v.query.filters };
      if (value === '' || value === undefined || value === false) delete next[key];
      else next[key] = value;
      return { ...v, query: { ...v.query, filters: next } };
    });
  const services = useMemo(
    () =>
      [...new Set(catalogue.services.map((s) => s.id))]
        .flatMap((id) => catalogue.get(id) ?? [])
        .sort((a, b) => a.names[language].localeCompare(b.names[language], language)),
    [catalogue, language],
  );
  const executors = useLiveQuery(
    async () => (await staffDirectory(desk)).filter((s) => s.roles.includes('executor')),
    [desk],
  );
  const tooShort = view.search.trim() !== '' && queryWords(view.search).length === 0;
  const select = (
    key: 'status' | 'serviceId' | 'stepKind' | 'executor' | 'channel',
    label: string,
    options: { value: string; label: string }[],
  ): JSX.Element => (
    <label className="field filter">
      <span>{label}</span>
      <select
        value={filters[key] ?? ''}
        onChange={(e) => setFilter(key, e.target.value)}
        data-testid={`filter-${key}`}
        title={options.find((o) => o.value === filters[key])?.label}
      >
        <option value="">{t('applications:filters.all')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="list-controls" data-testid={`${list}-controls`}>
      <div className="list-controls-row">
        <label className="field search">
          <span>{t('applications:search')}</span>
          <input
            type="search"
            value={view.search}
            onChange={(e) => setView(list, (v) => ({ ...v, search: e.target.value }))}
            data-testid={list === 'inbox' ? 'inbox-search' : 'application-search'}
          />
        </label>
        <label className="field sort">
          <span>{t('applications:filters.sort')}</span>
          <select
            value={sort}
            onChange={(e) => setView(list, (v) => ({ ...v, query: { ...v.query, sort: e.target.value as ListSort } }))}
            data-testid="list-sort"
          >
            {LIST_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`applications:filters.sorts.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="sort-direction"
          aria-pressed={desc}
          title={t(desc ? 'applications:filters.descending' : 'applications:filters.ascending')}
          onClick={() => setView(list, (v) => ({ ...v, query: { ...v.query, desc: !v.query.desc } }))}
          data-testid="list-sort-direction"
        >
          {desc ? '↓' : '↑'} {t(desc ? 'applications:filters.descending' : 'applications:filters.ascending')}
        </button>
        <label className="check filter-overdue">
          <input
            type="checkbox"
            checked={filters.overdue ?? false}
            onChange={(e) => setFilter('overdue', e.target.checked)}
            data-testid="filter-overdue"
          />
          <span>{t('applications:filters.overdue')}</span>
        </label>
        {(hasFilters(filters) || view.search) && (
          <button type="button" className="link" onClick={() => reset(list)} data-testid="filters-reset">
            {t('applications:filters.reset')}
          </button>
        )}
      </div>
      {tooShort && (
        <p className="hint" data-testid="search-too-short">
          {t('applications:searchTooShort', { count: MIN_PREFIX })}
        </p>
      )}
      <div className="list-controls-row filters">
        {select(
          'status',
          t('applications:columns.status'),
          STATUSES.map((s) => ({ value: s, label: t(`applications:status.${s}`) })),
        )}
        {select(
          'serviceId',
          t('applications:columns.service'),
          services.map((s) => ({ value: s.id, label: s.names[language] })),
        )}
        {select(
          'stepKind',
          t('applications:filters.step'),
          INBOX_STEP_KINDS.map((k) => ({ value: k, label: t(`applications:filters.steps.${k}`) })),
        )}
        {select(
          'executor',
          t('card:executor.label'),
          (executors ?? []).map((e) => ({ value: e.login, label: e.active ? e.fullName : `${e.fullName} ✕` })),
        )}
        {select(
          'channel',
          t('card:channel'),
          CHANNELS.map((c) => ({ value: c, label: t(`reception:channel.${c}`) })),
        )}
        <label className="field date">
          <span>{t('applications:filters.from')}</span>
          <DateInput value={filters.from ?? ''} onChange={(iso) => setFilter('from', iso)} testId="filter-from" />
        </label>
        <label className="field date">
          <span>{t('applications:filters.to')}</span>
          <DateInput value={filters.to ?? ''} onChange={(iso) => setFilter('to', iso)} testId="filter-to" />
        </label>
      </div>
    </div>
  );
}
