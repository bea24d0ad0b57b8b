import { useEffect, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldSettingsSchema, MAX_RECENT_DAYS } from '@shared/couch';
import { readFieldInfo, useDesk, useFieldStatus, type FieldInfo } from '../../data';
import { formatNumber, formatPrintedDateTime } from '../../i18n/format';
import { useFieldMode } from '../../state/fieldMode';
import { usePreferences } from '../../state/preferences';

const MB = 1024 * 1024;

/**
 * A field laptop (a home-visit worker's) holds only the open applications she acts on and her own
 * recent ones, not the office's history: the switch, the window of "recent", and what is held now.
 */
export function FieldSettings(): JSX.Element {
  const { t } = useTranslation();
  const lang = usePreferences((s) => s.language);
  const desk = useDesk();
  const scopeNow = useFieldStatus((s) => s.state);
  const mode = useFieldMode((s) => s.settings);
  const saveMode = useFieldMode((s) => s.set);
  const [info, setInfo] = useState<FieldInfo | null>(null);
  const [on, setOn] = useState(mode.on);
  const [days, setDays] = useState(String(mode.recentDays));
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!desk) return;
    let live = true;
    void readFieldInfo(desk).then((i) => {
      if (live) setInfo(i);
    });
    return () => {
      live = false;
    };
  }, [desk, scopeNow, mode]);

  const settings = fieldSettingsSchema.safeParse({ on, recentDays: Number(days) });
  const daysInvalid = on && !settings.success;
  const n = (v: number): string => formatNumber(v, lang);

  return (
    <section className="card" data-testid="field-settings">
      <h2>{t('settings:field.title')}</h2>
      <p className="hint">{t('settings:field.explain')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!settings.success) return;
          saveMode(settings.data);
          setSaved(true);
        }}
      >
        <label className="check">
          <input
            type="checkbox"
            checked={on}
            onChange={(e) => {
              setOn(e.target.checked);
              setSaved(false);
            }}
            data-testid="field-on"
          />
          <span>{t('settings:field.on')}</span>
        </label>
        {on && (
          <div className="grid-2">
            <label className={`field${daysInvalid ? ' invalid' : ''}`}>
              <span>{t('settings:field.recentDays')}</span>
              <input
                type="number"
                min={1}
                max={MAX_RECENT_DAYS}
                step={1}
                value={days}
                onChange={(e) => {
                  setDays(e.target.value);
                  setSaved(false);
                }}
                data-testid="field-days"
              />
              {daysInvalid && (
                <span className="field-error">{t('settings:field.daysHint', { max: MAX_RECENT_DAYS })}</span>
              )}
            </label>
          </div>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={!settings.success} data-testid="field-save">
            {t('settings:purge.save')}
          </button>
          {saved && <span data-testid="field-saved">{t('settings:purge.saved')}</span>}
        </div>
      </form>
      {info && (
        <div data-testid="field-held">
          <h3>{t('settings:field.held')}</h3>
          <p>{t('settings:field.applications', { open: info.applications.open, other: info.applications.other })}</p>
          <p>{t('settings:field.events', { count: info.events })}</p>
          {info.storage && (
            <p>
              {t('settings:field.storage', {
                used: n(Math.round(info.storage.usage / MB)),
                quota: n(Math.round(info.storage.quota / MB)),
              })}
            </p>
          )}
          {mode.on && (
            <p className="note" data-testid="field-scope">
              {info.state.refreshedAt === null
                ? t('settings:field.notYet')
                : t('settings:field.scope', {
                    count: info.state.scope.length,
                    at: formatPrintedDateTime(info.state.refreshedAt),
                  })}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
