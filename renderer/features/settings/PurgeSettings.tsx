import { useEffect, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_PURGE_DAYS, purgePolicySchema, readPurgeInfo, setPurgePolicy, useDesk, type PurgeInfo } from '../../data';
import { formatPrintedDateTime } from '../../i18n/format';
import { usePurgeStatus } from '../../state/purge';
import { useSyncStatus } from '../../state/sync';

/**
 * A home-visit laptop keeps closed applications only for a while: never removed (the default), or
 * removed N days after closing once the server holds them. Shows what the last run removed.
 */
export function PurgeSettings(): JSX.Element {
  const { t } = useTranslation();
  const desk = useDesk();
  const report = usePurgeStatus((s) => s.report);
  const running = usePurgeStatus((s) => s.running);
  const runNow = usePurgeStatus((s) => s.runNow);
  const hasServer = useSyncStatus((s) => s.targets !== null);
  const [info, setInfo] = useState<PurgeInfo | null>(null);
  const [mode, setMode] = useState<'never' | 'afterDays'>('never');
  const [days, setDays] = useState('90');
  const [saved, setSaved] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!desk) return;
    let live = true;
    void readPurgeInfo(desk).then((i) => {
      if (!live) return;
      setInfo(i);
      setMode(i.policy.mode);
      if (i.policy.mode === 'afterDays') setDays(String(i.policy.days));
    });
    return () => {
      live = false;
    };
  }, [desk, report]);

  const policy = purgePolicySchema.safeParse(mode === 'never' ? { mode } : { mode, days: Number(days) });
  const daysInvalid = mode === 'afterDays' && !policy.success;
  const last = report ?? info?.lastRun ?? null;

  return (
    <section className="card" data-testid="purge-settings">
      <h2>{t('settings:purge.title')}</h2>
      <p className="hint">{t('settings:purge.explain')}</p>
      {!desk ? (
        <p className="note">{t('settings:purge.noDesk')}</p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!policy.success) return;
            setSaved(false);
            setFailed(false);
            setPurgePolicy(desk, policy.data).then(
              () => setSaved(true),
              () => setFailed(true),
            );
          }}
        >
          <fieldset className="radio-group">
            <legend>{t('settings:purge.legend')}</legend>
            <label>
              <input
                type="radio"
                name="purge-mode"
                checked={mode === 'never'}
                onChange={() => setMode('never')}
                data-testid="purge-never"
              />
              <span>{t('settings:purge.never')}</span>
            </label>
            <label>
              <input
                type="radio"
                name="purge-mode"
                checked={mode === 'afterDays'}
                onChange={() => setMode('afterDays')}
                data-testid="purge-after"
              />
              <span>{t('settings:purge.afterDays')}</span>
            </label>
          </fieldset>
          {mode === 'afterDays' && (
            <div className="grid-2">
              <label className={`field${daysInvalid ? ' invalid' : ''}`}>
                <span>{t('settings:purge.days')}</span>
                <input
                  type="number"
                  min={1}
                  max={MAX_PURGE_DAYS}
                  step={1}
                  value={days}
                  onChange={(e) => setDays(e.target.value)}
                  data-testid="purge-days"
                />
                {daysInvalid && (
                  <span className="field-error">{t('settings:purge.daysHint', { max: MAX_PURGE_DAYS })}</span>
                )}
              </label>
            </div>
          )}
          <div className="actions">
            <button type="submit" className="primary" disabled={!policy.success} data-testid="purge-save">
              {t('settings:purge.save')}
            </button>
            <button type="button" disabled={!runNow || running} onClick={() => void runNow?.()} data-testid="purge-run">
              {t('settings:purge.runNow')}
            </button>
            {saved && <span data-testid="purge-saved">{t('settings:purge.saved')}</span>}
            {failed && <span className="field-error">{t('settings:purge.saveFailed')}</span>}
          </div>
          {!hasServer && <p className="note">{t('settings:purge.needsServer')}</p>}
        </form>
      )}
      <h3>{t('settings:purge.lastRun')}</h3>
      {last === null ? (
        <p className="note" data-testid="purge-last">
          {t('settings:purge.neverRun')}
        </p>
      ) : (
        <div data-testid="purge-last">
          <p>
            {formatPrintedDateTime(last.at)} — {t(`settings:purge.outcome.${last.outcome}`)}
          </p>
          <p>
            {t('settings:purge.counts', {
              applications: last.applications,
              events: last.events,
              attachments: last.attachments,
            })}
          </p>
          {last.keptUnsynced > 0 && <p className="note">{t('settings:purge.kept', { count: last.keptUnsynced })}</p>}
          {last.regNumbers.length > 0 && <p className="note">{last.regNumbers.join(', ')}</p>}
        </div>
      )}
      {info && info.purgedCount > 0 && <p className="note">{t('settings:purge.total', { count: info.purgedCount })}</p>}
    </section>
  );
}
