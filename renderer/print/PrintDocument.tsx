import type { JSX } from 'react';
import { CommissionAgenda } from './CommissionAgenda';
import { CoverLetter } from './CoverLetter';
import { DecisionNotification } from './DecisionNotification';
import { Receipt } from './Receipt';
import { RefusalReceipt } from './RefusalReceipt';
import { Ticket } from './Ticket';
import type { PaperFormat, PrintJob } from './types';

/** The template for a job, laid out for one paper format. */
export function PrintDocument({ job, format }: { job: PrintJob; format: PaperFormat }): JSX.Element {
  switch (job.doc) {
    case 'ticket':
      return <Ticket data={job.data} format={format} />;
    case 'receipt':
      return <Receipt data={job.data} format={format} />;
    case 'refusal':
      return <RefusalReceipt data={job.data} format={format} />;
    // The letters are A4 only, whatever the desk's paper (see `paperFor`).
    case 'notification':
      return <DecisionNotification data={job.data} />;
    case 'coverLetter':
      return <CoverLetter data={job.data} />;
    case 'agenda':
      return <CommissionAgenda data={job.data} />;
  }
}
