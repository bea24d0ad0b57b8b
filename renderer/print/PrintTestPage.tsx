import { useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { PrintResult } from '@shared/ipc/contract';
import { PageHeader } from '../components/PageHeader';
import { PrintDocument } from './PrintDocument';
import { PrintPortal } from './PrintPortal';
import { formatsFor } from './letterFormat';
import { printDocument } from './printJob';
import { DOC_KINDS, SAMPLE_JOBS, SAMPLE_VARIANTS, sampleJob } from './sample';
import { usePrintSettings } from './settings';
import { PAPER_FORMATS, type PaperFormat, type PrintJob } from './types';

const isDoc = (v: string | null): v is PrintJob['doc'] => DOC_KINDS.includes(v as PrintJob['doc']);
const isFormat = (v: string | null): v is PaperFormat => PAPER_FORMATS.includes(v as PaperFormat);

/** A print button for one sample in one format; the desk's printer and copies, this format. */
function PrintSample({
  job,
  format,
  variant = null,
}: {
  job: PrintJob;
  format: PaperFormat;
  variant?: string | null;
}): JSX.Element {
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
        data-testid={`print-sample-${job.doc}${variant !== null ? `-${variant}` : ''}-${format}`}
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
  const variant = params.get('sample');

  if (doc !== null || format !== null) {
    // A letter is A4 only, and only a document with variants has named samples.
    const job = isDoc(doc) && isFormat(format) && formatsFor(doc).includes(format) ? sampleJob(doc, variant) : null;
    return (
      <>
        <PageHeader title={t('print:test.title')}>
          <Link to="/print-test">{t('print:test.all')}</Link>
        </PageHeader>
        {job !== null && isFormat(format) ? (
          <section className="print-single" data-testid="print-single">
            <h2>
              {t(`print:docName.${job.doc}`)}
              {variant !== null && <> ({t(`print:test.sample.${variant}`)})</>} · {t(`print:formatName.${format}`)}
            </h2>
            <PrintSample job={job} format={format} variant={variant} />
            <div className="print-preview">
              <PrintDocument job={job} format={format} />
            </div>
            <PrintPortal job={job} format={format} />
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
            {samplesOf(d).flatMap(([variant, job]) =>
              formatsFor(d).map((f) => {
                const query = `doc=${d}&format=${f}${variant !== null ? `&sample=${variant}` : ''}`;
                return (
                  <figure key={`${variant ?? ''}-${f}`} className="print-test-sample">
                    <figcaption>
                      <strong>
                        {t(`print:formatName.${f}`)}
                        {variant !== null && <> · {t(`print:test.sample.${variant}`)}</>}
                      </strong>{' '}
                      <Link to={`/print-test?${query}`}>{t('print:test.open')}</Link>
                    </figcaption>
                    <PrintSample job={job} format={f} variant={variant} />
                    <div className={`print-preview${f === 'A4' ? ' print-preview-thumb' : ''}`}>
                      <PrintDocument job={job} format={f} />
                    </div>
                  </figure>
                );
              }),
            )}
          </div>
        </section>
      ))}
    </>
  );
}

/** A document's samples with their variant names (null for a document with one sample). */
function samplesOf(doc: PrintJob['doc']): [string | null, PrintJob][] {
  const variants = SAMPLE_VARIANTS[doc];
  return variants ? Object.entries(variants) : [[null, SAMPLE_JOBS[doc]]];
}

/** The route module's component (the route is loaded lazily: `lazy: () => import(…)`). */
export { PrintTestPage as Component };
