import { PAPER_FORMATS, type PaperFormat, type PrintJob } from './types';

/** The letters (decision notification, cover letter) are A4 only: an official letter is not a roll slip. */
export const A4_ONLY_DOCS: readonly PrintJob['doc'][] = ['notification', 'coverLetter', 'agenda'];

export const isA4Only = (doc: PrintJob['doc']): boolean => A4_ONLY_DOCS.includes(doc);

/** The paper formats a document can be printed on. */
export function formatsFor(doc: PrintJob['doc']): readonly PaperFormat[] {
  return isA4Only(doc) ? ['A4'] : PAPER_FORMATS;
}

/**
 * The paper a job goes on at a desk set up for `format`: a letter always on A4, whatever roll the
 * desk prints its tickets on. Pass it to `printDocument` (`{ ...settings, format: paperFor(job, settings.format) }`).
 */
export function paperFor(job: PrintJob, format: PaperFormat): PaperFormat {
  return isA4Only(job.doc) ? 'A4' : format;
}
