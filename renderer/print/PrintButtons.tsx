import { useEffect, useRef, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrintResult } from '@shared/ipc/contract';
import type { PrintJob } from './types';

export type PrintFn = (job: PrintJob) => Promise<PrintResult>;

/** One button per document; with `autoDocs`, those documents print once as soon as they exist. */
export function PrintButtons({
  jobs,
  print,
  autoDocs,
}: {
  jobs: Partial<Record<PrintJob['doc'], PrintJob>>;
  print: PrintFn;
  autoDocs: PrintJob['doc'][];
}): JSX.Element {
  const { t } = useTranslation();
  const [state, setState] = useState<{ doc: string; status: 'printing' | 'printed' | 'failed'; code?: string } | null>(
    null,
  );
  const run = async (job: PrintJob): Promise<void> => {
    setState({ doc: job.doc, status: 'printing' });
    const r = await print(job).catch((): PrintResult => ({ ok: false, code: 'print.failed' }));
    setState(r.ok ? { doc: job.doc, status: 'printed' } : { doc: job.doc, status: 'failed', code: r.code });
  };
  const auto = useRef(false);
  useEffect(() => {
    if (auto.current) return;
    auto.current = true;
    void (async () => {
      for (const doc of autoDocs) {
        const job = jobs[doc];
        if (job) await run(job);
      }
    })();
    // Printing on registration happens once per registration, not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <div className="print-buttons" data-testid="print-buttons">
      {(['ticket', 'receipt', 'refusal', 'notification', 'coverLetter', 'inspectionAct'] as const).map((doc) => {
        const job = jobs[doc];
        return job ? (
          <button
            key={doc}
            type="button"
            onClick={() => void run(job)}
            disabled={state?.status === 'printing'}
            data-testid={`print-${doc}`}
          >
            {t(`reception:print.${doc}`)}
          </button>
        ) : null;
      })}
      {state && (
        <span role="status" className={state.status === 'failed' ? 'field-error' : 'muted'}>
          {state.status === 'failed'
            ? t('reception:print.failed', { code: state.code ?? '' })
            : t(`reception:print.${state.status}`)}
        </span>
      )}
    </div>
  );
}
