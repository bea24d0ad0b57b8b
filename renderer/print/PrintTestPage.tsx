import { useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { PrintResult } from '@shared/ipc/contract';
import { PageHeader } from '../components/PageHeader';
import { PrintDocument } from './PrintDocument';
import { PrintPortal } from './PrintPortal';
import { printDocument } from './printJob';
import { DOC_KINDS, SAMPLE_JOBS } from './sample';
import { usePrintSettings } from './settings';
import { PAPER_FORMATS, type PaperFormat, type PrintJob } from './types';

const isDoc = (v: string | null): v is PrintJob['doc'] => DOC_KINDS.includes(v as PrintJob['doc']);
const isFormat = (v: string | null): v is PaperFormat => PAPER_FORMATS.includes(v as PaperFormat);

/** A print button for one sample in one format; the desk's printer and copies, this format. */
function PrintSample({ job, format }: { job: PrintJob; format: PaperFormat }): JSX.Element {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'printing' | PrintResult>('idle');
  return (
    <div className="actions print-sample-actions">
      <button
        type="button"
        disabled={state === 'printing'}
        onClick={() => {
          setState('printing');
          const s = usePrintSettings.getState();
          void printDocument(job, { deviceName: s.deviceName, copies: s.copies, format }).then(setState);
        }}
        data-testid={`print-sample-${job.doc}-${format}`}
      >
        {t('print:test.print')}
      </button>
      {state === 'printing' && <span role="status">{t('print:status.printing')}</span>}
      {typeof state === 'object' && (
        <span role="status" className={state.ok ? 'hint ok' : 'field-error'}>
          {state.ok
            ? t('print:status.printed')
            : t(`print:errors.${state.code.replace(/^print\./, '')}`, t('print:errors.failed'))}
        </span>
      )}
    </div>
  );
}

/**
 * Samples of every printed form in every paper format, to check a printer and the layout.
 * `#/print-test?doc=receipt&format=80mm` shows that one document alone, and keeps it standing in
 * the print root so that printing the page (or a PDF of it) gives exactly that document.
 */
export function PrintTestPage(): JSX.Element {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const doc = params.get('doc');
  const format = params.get('format');

  if (doc !== null || format !== null) {
    const valid = isDoc(doc) && isFormat(format);
    return (
      <>
        <PageHeader title={t('print:test.title')}>
          <Link to="/print-test">{t('print:test.all')}</Link>
        </PageHeader>
        {valid ? (
          <section className="print-single" data-testid="print-single">
            <h2>
              {t(`print:docName.${doc}`)} · {t(`print:formatName.${format}`)}
            </h2>
            <PrintSample job={SAMPLE_JOBS[doc]} format={format} />
            <div className="print-preview">
              <PrintDocument job={SAMPLE_JOBS[doc]} format={format} />
            </div>
            <PrintPortal job={SAMPLE_JOBS[doc]} format={format} />
          </section>
        ) : (
          <p className="field-error" role="alert">
            {t('print:test.unknown')}
          </p>
        )}
      </>
    );
  }

  return (
    <>
      <PageHeader title={t('print:test.title')} />
      <p className="hint">{t('print:test.intro')}</p>
      {DOC_KINDS.map((d) => (
        <section key={d} className="print-test-doc" data-testid={`print-test-${d}`}>
          <h2>{t(`print:docName.${d}`)}</h2>
          <div className="print-test-row">
            {PAPER_FORMATS.map((f) => (
              <figure key={f} className="print-test-sample">
                <figcaption>
                  <strong>{t(`print:formatName.${f}`)}</strong>{' '}
                  <Link to={`/print-test?doc=${d}&format=${f}`}>{t('print:test.open')}</Link>
                </figcaption>
                <PrintSample job={SAMPLE_JOBS[d]} format={f} />
                <div className={`print-preview${f === 'A4' ? ' print-preview-thumb' : ''}`}>
                  <PrintDocument job={SAMPLE_JOBS[d]} format={f} />
                </div>
              </figure>
            ))}
          </div>
        </section>
      ))}
    </>
  );
}

/** The route module's component (the route is loaded lazily: `lazy: () => import(…)`). */
export { PrintTestPage as Component };
