import { useEffect, useId, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PrinterInfo, PrintResult } from '@shared/ipc/contract';
import { getBridge } from '../platform/bridge';
import { useSession } from '../state/session';
import { printDocument } from './printJob';
import { testTicket } from './sample';
import { AUTO_DOCS, clampCopies, MAX_COPIES, pickSettings, usePrintSettings } from './settings';
import { PAPER_FORMATS } from './types';

/** The printers the host offers: null while asking. Browser mode and errors give []. */
function usePrinters(): PrinterInfo[] | null {
  const [printers, setPrinters] = useState<PrinterInfo[] | null>(null);
  useEffect(() => {
    let live = true;
    void getBridge()
      .getPrinters()
      .catch((): PrinterInfo[] => [])
      .then((list) => {
        if (live) setPrinters(list);
      });
    return () => {
      live = false;
    };
  }, []);
  return printers;
}

/**
 * Print settings of this desk: printer (or the system dialog), paper, copies, and what prints by
 * itself on registration; with a test ticket. Mounted in the settings page.
 */
export function PrintSettingsPanel(): JSX.Element {
  const { t } = useTranslation();
  const id = useId();
  const settings = usePrintSettings();
  const update = usePrintSettings((s) => s.update);
  const printers = usePrinters();
  const official = useSession((s) => s.user?.displayName ?? null);
  const browser = getBridge().platform === 'browser';
  const [test, setTest] = useState<'idle' | 'printing' | PrintResult>('idle');

  const known = printers?.some((p) => p.name === settings.deviceName) ?? true;
  const errorText = (code: string): string =>
    t(`print:errors.${code.replace(/^print\./, '')}`, t('print:errors.failed'));

  return (
    <section className="card print-settings" data-testid="print-settings">
      <h2>{t('print:settings.title')}</h2>

      {browser ? (
        <p className="hint" data-testid="print-browser-note">
          {t('print:settings.browserNote')}
        </p>
      ) : (
        <label className="field" htmlFor={`${id}-printer`}>
          <span>{t('print:settings.printer')}</span>
          <select
            id={`${id}-printer`}
            value={settings.deviceName ?? ''}
            disabled={printers === null}
            onChange={(e) => update({ deviceName: e.target.value === '' ? null : e.target.value })}
            data-testid="print-printer"
          >
            <option value="">{t('print:settings.printerDialog')}</option>
            {printers?.map((p) => (
              <option key={p.name} value={p.name}>
                {p.isDefault
                  ? t('print:settings.printerDefault', { name: p.displayName || p.name })
                  : p.displayName || p.name}
              </option>
            ))}
            {settings.deviceName !== null && !known && (
              <option value={settings.deviceName}>
                {t('print:settings.printerMissing', { name: settings.deviceName })}
              </option>
            )}
          </select>
          <span className="hint">
            {printers !== null && printers.length === 0
              ? t('print:settings.noPrinters')
              : settings.deviceName === null
                ? t('print:settings.dialogHint')
                : t('print:settings.silentHint')}
          </span>
        </label>
      )}

      <fieldset className="radio-group" data-testid="print-format">
        <legend>{t('print:settings.format')}</legend>
        {PAPER_FORMATS.map((f) => (
          <label key={f}>
            <input
              type="radio"
              name={`${id}-format`}
              value={f}
              checked={settings.format === f}
              onChange={() => update({ format: f })}
            />
            <span>{t(`print:formatName.${f}`)}</span>
          </label>
        ))}
      </fieldset>

      {!browser && (
        <label className="field print-copies" htmlFor={`${id}-copies`}>
          <span>{t('print:settings.copies')}</span>
          <input
            id={`${id}-copies`}
            type="number"
            min={1}
            max={MAX_COPIES}
            step={1}
            value={settings.copies}
            onChange={(e) => update({ copies: clampCopies(e.target.valueAsNumber) })}
            data-testid="print-copies"
          />
        </label>
      )}

      <label className="check">
        <input
          type="checkbox"
          checked={settings.autoPrint}
          onChange={(e) => update({ autoPrint: e.target.checked })}
          data-testid="print-auto"
        />
        <span>{t('print:settings.autoPrint')}</span>
      </label>
      <fieldset className="print-auto-docs" disabled={!settings.autoPrint} aria-label={t('print:settings.autoDocs')}>
        {AUTO_DOCS.map((d) => (
          <label key={d} className="check small">
            <input
              type="checkbox"
              checked={settings.autoDocs.includes(d)}
              onChange={(e) =>
                update({
                  autoDocs: e.target.checked ? [...settings.autoDocs, d] : settings.autoDocs.filter((x) => x !== d),
                })
              }
              data-testid={`print-auto-${d}`}
            />
            <span>{t(`print:docName.${d}`)}</span>
          </label>
        ))}
      </fieldset>

      <div className="actions">
        <button
          type="button"
          disabled={test === 'printing'}
          onClick={() => {
            setTest('printing');
            void printDocument(testTicket(official, Date.now()), pickSettings(usePrintSettings.getState())).then(
              setTest,
            );
          }}
          data-testid="print-test-ticket"
        >
          {t('print:settings.test')}
        </button>
        <Link to="/print-test">{t('print:settings.samples')}</Link>
        {test === 'printing' && <span role="status">{t('print:status.printing')}</span>}
        {typeof test === 'object' && (
          <span role="status" className={test.ok ? 'hint ok' : 'field-error'}>
            {test.ok ? t('print:status.printed') : errorText(test.code)}
          </span>
        )}
      </div>
    </section>
  );
}
