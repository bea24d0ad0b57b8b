import { staffCount, executorChoices, matchExecutors, useLiveQuery, type Desk, type ExecutorChoice } from '../../data';
import { useId, useState, type JSX, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The executor chosen from the office's staff directory (резолюция / бұрыштама): type a part of
 * the name in either script (or the login) and pick; each person shows what they have open now.
 * Only active executors of this office are offered; with no directory on the desk, nobody is, and
 * the head is told why instead of being handed a free-text field.
 */
export function ExecutorPicker({
  desk,
  now,
  value,
  onChange,
}: {
  desk: Desk;
  now: number;
  value: ExecutorChoice | null;
  onChange: (choice: ExecutorChoice | null) => void;
}): JSX.Element {
  const { t } = useTranslation();
  const listId = useId();
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const directorySize = useLiveQuery(() => staffCount(desk), [desk]);
  const choices = useLiveQuery(() => executorChoices(desk, now), [desk, now]);
  if (directorySize === undefined || choices === undefined) return <p className="muted">{t('card:loading')}</p>;
  if (directorySize === 0 || choices.length === 0)
    return (
      <p className="note wide" role="status" data-testid="no-staff-directory">
        {t(directorySize === 0 ? 'card:executor.noDirectory' : 'card:executor.noExecutors')}
      </p>
    );
  const shown = matchExecutors(choices, query);
  const pick = (c: ExecutorChoice | undefined): void => {
    if (!c) return;
    onChange(c);
    setQuery('');
    setOpen(false);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, shown.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter' && open) {
      e.preventDefault();
      pick(shown[active]);
    } else if (e.key === 'Escape') setOpen(false);
  };
  return (
    <div className="executor-picker field wide">
      <label htmlFor={`${listId}-input`}>{t('card:executor.label')}</label>
      <input
        id={`${listId}-input`}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && shown[active] ? `${listId}-${shown[active].login}` : undefined}
        autoComplete="off"
        value={open ? query : (value?.fullName ?? query)}
        placeholder={t('card:executor.placeholder')}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
          setOpen(true);
          if (value) onChange(null);
        }}
        onKeyDown={onKey}
        data-testid="executor-search"
      />
      {value && !open && (
        <small className="muted" data-testid="executor-chosen">
          {value.login} · {t('card:executor.workload', { open: value.open, late: value.late })}
        </small>
      )}
      {open && (
        <ul id={listId} className="executor-list" role="listbox" aria-label={t('card:executor.list')}>
          {shown.length === 0 && (
            <li className="muted" data-testid="executor-none">
              {t('common:nothingFound')}
            </li>
          )}
          {shown.map((c, i) => (
            <li
              key={c.login}
              id={`${listId}-${c.login}`}
              role="option"
              aria-selected={value?.login === c.login}
              className={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(c);
              }}
              data-testid="executor-option"
              data-login={c.login}
            >
              <span>{c.fullName}</span>
              <small className="muted">
                {c.login} · {t('card:executor.workload', { open: c.open, late: c.late })}
              </small>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
