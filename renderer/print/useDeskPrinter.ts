import { useCallback } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PrintResult } from '@shared/ipc/contract';
import { printDocument } from './printJob';
import { autoDocsOf, usePrintSettings } from './settings';
import type { PrintJob } from './types';

/**
 * How this desk prints, for the reception desk and the application card: `print` uses the desk's
 * printer, paper and copies; `autoDocs` are the documents to print as soon as an application is
 * registered (empty when auto-printing is off).
 */
export function useDeskPrinter(): { print: (job: PrintJob) => Promise<PrintResult>; autoDocs: PrintJob['doc'][] } {
  const autoDocs = usePrintSettings(useShallow(autoDocsOf));
  const print = useCallback((job: PrintJob) => printDocument(job, usePrintSettings.getState()), []);
  return { print, autoDocs };
}
