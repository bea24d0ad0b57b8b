import { useMemo, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { currentVersion, versionsById, type ServiceDefinition } from '@shared/catalogue';
import { matchesSearch } from '@shared/text/searchFold';
import { useCatalog } from '../../data';
import { usePreferences } from '../../state/preferences';
import { ServiceDetail } from './ServiceDetail';

interface Filters {
  query: string;
  provider: string;
  region: string;
  ministry: string;
}

/**
 * Every service, one line each (its current version), found by any word of its Kazakh or Russian
 * name or provider (Kazakh letters folded), filtered by provider, region and ministry; the chosen
 * one in detail beside the list.
 */
export function ServicesView({
  serviceId,
  version,
  today,
}: {
  serviceId: string | null;
  version: string | null;
  today: string;
}): JSX.Element {
  const { t } = useTranslation();
  const language = usePreferences((s) => s.language);
  const catalogue = useCatalog((s) => s.state.catalogue);
  const [f, setF] = useState<Filters>({ query: '', provider: '', region: '', ministry: '' });
  const byId = useMemo(() => versionsById(catalogue), [catalogue]);
  const current = useMemo(
    () =>
      [...byId.values()].flatMap((versions) => {
        const c = currentVersion(versions, today) ?? { service: versions[0]!, status: 'planned' as const };
        return [{ ...c, versions }];
      }),
    [byId, today],
  );
  const options = (
    key: (s: ServiceDefinition) => string,
    label: (s: ServiceDefinition) => string,
  ): [string, string][] =>
    [...new Map(current.map((c) => [key(c.service), label(c.service)])).entries()].sort((a, b) =>
      a[1].localeCompare(b[1], language),
    );
  const providers = options(
    (s) => s.providerId,
    (s) => s.provider[language],
  );
  const regions = options(
    (s) => s.region,
    (s) => t(`catalogue:regions.${s.region}`),
  );
  const ministries = options(
    (s) => s.ministry.ru,
    (s) => s.ministry[language],
  );
  const shown = current
    .filter(({ service: s }) => !f.provider || s.providerId === f.provider)
    .filter(({ service: s }) => !f.region || s.region === f.region)
    .filter(({ service: s }) => !f.ministry || s.ministry.ru === f.ministry)
    .filter(
      ({ service: s }) =>
        !f.query.trim() || matchesSearch(`${s.names.kk} ${s.names.ru} ${s.provider.kk} ${s.provider.ru}`, f.query),
    )
    .sort((a, b) => a.service.names[language].localeCompare(b.service.names[language], language));
  const select = (label: string, value: string, list: [string, string][], set: (v: string) => void, id: string) => (
    <label className="field">
      <span>{label}</span>
      <select value={value} onChange={(e) => set(e.target.value)} data-testid={id}>
        <option value="">{t('catalogue:filter.all')}</option>
        {list.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
  const chosen = serviceId ? byId.get(serviceId) : undefined;
  return (
    <div className="catalogue-layout">
      <section className="card catalogue-filters no-print">
        <label className="field">
          <span>{t('catalogue:search.label')}</span>
          <input
            type="search"
            value={f.query}
            placeholder={t('catalogue:search.placeholder')}
            onChange={(e) => setF({ ...f, query: e.target.value })}
            data-testid="catalogue-search"
          />
        </label>
        {select(
          t('catalogue:filter.provider'),
          f.provider,
          providers,
          (v) => setF({ ...f, provider: v }),
          'filter-provider',
        )}
        {select(t('catalogue:filter.region'), f.region, regions, (v) => setF({ ...f, region: v }), 'filter-region')}
        {select(
          t('catalogue:filter.ministry'),
          f.ministry,
          ministries,
          (v) => setF({ ...f, ministry: v }),
          'filter-ministry',
        )}
        <p className="muted" data-testid="catalogue-count">
          {t('catalogue:filter.count', { count: shown.length })}
        </p>
        <ul className="catalogue-list" data-testid="catalogue-list">
          {shown.length === 0 && <li className="muted">{t('catalogue:filter.none')}</li>}
          {shown.map(({ service: s, status, versions }) => (
            <li key={s.id}>
              <Link
                to={`/catalogue/service/${s.id}`}
                className={s.id === serviceId ? 'active' : undefined}
                data-testid={`catalogue-item-${s.id}`}
              >
                <span lang={language}>{s.names[language]}</span>
                <small>
                  {s.provider[language]}
                  <span className={`status-pill ${status}`}>{t(`catalogue:status.${status}`)}</span>
                  {versions.length > 1 && (
                    <span className="status-pill">{versions.map((v) => v.version).join(', ')}</span>
                  )}
                </small>
              </Link>
            </li>
          ))}
        </ul>
      </section>
      {chosen ? (
        <ServiceDetail versions={chosen} version={version} today={today} />
      ) : (
        <section className="card no-print">
          <p className="muted">{serviceId ? t('catalogue:detail.notFound') : t('catalogue:detail.select')}</p>
        </section>
      )}
    </div>
  );
}
