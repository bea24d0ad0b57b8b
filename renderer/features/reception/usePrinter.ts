/** How this desk prints: the desk's printer, paper, copies and auto-print choice (print settings). */
export { useDeskPrinter as usePrinter } from '../../print/useDeskPrinter';
