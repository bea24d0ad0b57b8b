import { useMemo, useState, type JSX, type KeyboardEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { Catalogue, ServiceDefinition } from '@shared/catalogue';
import { searchServices, serviceSearchIndex } from '@shared/text/serviceSearch';
import type { UiLanguage } from '@shared/ipc/contract';

/**
 * Finds a service by any form of any word of its Kazakh or Russian name or provider («пособие»
 * finds «пособия», «рұқсаттар» finds «рұқсат»; Kazakh letters folded, so «кызмет» finds «қызмет»;
 * shared/text/stem.ts). With an empty query the desk's most used services come first, so a
 * common registration is Tab, Enter.
 */
export function ServicePicker({
  catalogue,
  frequent,
  selected,
  onSelect,
  language,
  inputRef,
}: {
  catalogue: Catalogue;
  frequent: string[];
  selected: ServiceDefinition | undefined;
  onSelect: (service: ServiceDefinition) => void;
  language: UiLanguage;
  inputRef?: Ref<HTMLInputElement>;
}): JSX.Element {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const latest = useMemo(
    () => [...new Set(catalogue.services.map((s) => s.id))].flatMap((id) => catalogue.get(id) ?? []),
    [catalogue],
  );
  const index = useMemo(() => serviceSearchIndex(latest), [latest]);
  const services = useMemo(() => {
    if (!query.trim()) {
      const rank = (s: ServiceDefinition): number => {
        const i = frequent.indexOf(s.id);
        return i === -1 ? frequent.length : i;
      };
      return [...latest].sort((a, b) => rank(a) - rank(b) || a.names[language].localeCompare(b.names[language]));
    }
    return searchServices(index, query);
  }, [latest, index, frequent, query, language]);

  const choose = (s: ServiceDefinition | undefined): void => {
    if (!s) return;
    onSelect(s);
    setQuery('');
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, services.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter' && !e.ctrlKey) {
      e.preventDefault();
      choose(services[active]);
    }
  };

  return (
    <div className="service-picker">
      <label className="field">
        <span>{t('reception:service.search')}</span>
        <input
          ref={inputRef}
          type="search"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKey}
          placeholder={selected ? t('reception:service.searchAnother') : t('reception:service.placeholder')}
          aria-controls="service-list"
          aria-activedescendant={services[active] ? `svc-${services[active].id}` : undefined}
          data-testid="service-search"
        />
      </label>
      {(!selected || query) && (
        <ul id="service-list" className="service-list" role="listbox" aria-label={t('reception:service.list')}>
          {services.length === 0 && (
            <li className="muted" data-testid="service-none">
              {t('reception:service.none')}
            </li>
          )}
          {services.slice(0, 8).map((s, i) => (
            <li
              key={s.id}
              id={`svc-${s.id}`}
              role="option"
              aria-selected={selected?.id === s.id}
              className={`${i === active ? 'active' : ''} ${selected?.id === s.id ? 'selected' : ''}`}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(s);
              }}
            >
              <span lang={language}>
                {s.names[language]}
                <small className="muted provider">{s.provider[language]}</small>
              </span>
              {frequent.includes(s.id) && !query && <span className="badge">{t('reception:service.frequent')}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
