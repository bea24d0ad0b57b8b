import type { ActField, ActValue, ServiceDefinition } from '@shared/catalogue';
import type { ActorRef, EventDoc } from '@shared/events';
import type { ActEntry, ApplicationState } from '@shared/workflow';
import type { KenseBridge } from '@shared/ipc/contract';
import { applicantDisplayName, applicantKey, type Desk } from '../data';
import { getBridge } from '../platform/bridge';
import { printDocumentToPdf } from './printJob';
import { printedIsoDate } from './parts';
import type { ActLine, BilingualText, IntakeSlip, PrintJob } from './types';

/** The paper that leaves the desk, built from the registration event and the service it names. */
export function intakeSlip(
  event: EventDoc<'registered'> | EventDoc<'intake_refused'>,
  service: ServiceDefinition,
  resultDueAt: number | null,
  calendarMissingYear: number | null = null,
  office: BilingualText | null = null,
): IntakeSlip {
  const p = event.payload;
  const variant = service.variants.find((v) => v.id === p.variantId) ?? null;
  return {
    regNumber: p.regNumber,
    registeredAt: Date.parse(event.at),
    service: service.names,
    variant: variant && service.variants.length > 1 ? variant.label : null,
    resultDueAt,
    calendarMissingYear: resultDueAt === null ? calendarMissingYear : null,
    provider: service.provider,
    office,
    officialName: event.actor.name ?? event.actor.login,
    applicantName: applicantDisplayName(p.applicant),
    applicantId: applicantKey(p.applicant),
    representative: p.representative
      ? {
          fullName: p.representative.fullName,
          poaNumber: p.representative.poaNumber,
          poaDate: p.representative.poaDate,
        }
      : null,
    phone: p.applicant.phone ?? null,
    place: p.channel === 'home_visit' ? (p.place ?? null) : null,
  };
}

export function intakeJobs(
  event: EventDoc<'registered'> | EventDoc<'intake_refused'>,
  service: ServiceDefinition,
  resultDueAt: number | null,
  calendarMissingYear: number | null = null,
  office: BilingualText | null = null,
): { ticket?: PrintJob; receipt?: PrintJob; refusal?: PrintJob } {
  const slip = intakeSlip(event, service, resultDueAt, calendarMissingYear, office);
  const docName = (id: string): { kk: string; ru: string } =>
    service.documents.items.find((d) => d.id === id)?.name ?? { kk: id, ru: id };
  if (event.kind === 'intake_refused') {
    const { resultDueAt: _none, calendarMissingYear: _noYear, ...rest } = slip;
    return {
      refusal: {
        doc: 'refusal',
        data: {
          ...rest,
          missing: event.payload.missing.map(docName),
          reason: event.payload.reason,
          note: event.payload.note ?? null,
        },
      },
    };
  }
  return {
    ticket: { doc: 'ticket', data: slip },
    receipt: {
      doc: 'receipt',
      data: {
        ...slip,
        documents: event.payload.documents
          .filter((d) => d.received)
          .map((d) => ({ name: docName(d.id), original: d.original ?? false })),
      },
    },
  };
}

/**
 * Keeps a PDF copy of the paper handed to the applicant in the application's file (Electron: the
 * page is rendered by Chromium's printToPDF). Browser mode has no PDF printer and keeps none.
 */
export async function keepPdfCopy(
  desk: Desk,
  event: EventDoc<'registered'> | EventDoc<'intake_refused'>,
  job: PrintJob,
  actor: ActorRef,
  bridge: KenseBridge = getBridge(),
): Promise<'kept' | 'unavailable' | 'failed'> {
  const pdf = await printDocumentToPdf(job, 'A4', bridge);
  if (!pdf.ok) return pdf.code === 'print.pdfUnavailable' ? 'unavailable' : 'failed';
  try {
    await desk.attach(event.appId, actor, {
      name: `${job.doc}-${event.payload.regNumber}.pdf`,
      type: 'application/pdf',
      data: new Blob([pdf.data.slice().buffer], { type: 'application/pdf' }),
    });
    return 'kept';
  } catch {
    return 'failed';
  }
}

/** The head who signed (the last signature in the history), for the letters' signature line. */
function signedBy(state: ApplicationState): string {
  const variant = state.variant;
  for (let i = state.history.length - 1; i >= 0; i--) {
    const h = state.history[i];
    const step = h && variant?.steps.find((s) => s.id === h.stepId);
    if (h && step?.kind === 'sign' && h.by) return h.by.name ?? h.by.login;
  }
  return '';
}

/**
 * The letters that follow a decision: the decision notification once the application is decided,
 * and the cover letter that goes with a result sent by post or through ЦОН.
 */
export function decisionJobs(
  state: ApplicationState,
  official: { name: string; position: { kk: string; ru: string } },
  now: number,
): { notification?: PrintJob; coverLetter?: PrintJob } {
  const reg = state.registered;
  const service = state.service;
  // Services without an explicit decision step are decided positively once the result is handed over.
  const decision = state.outcome ?? (state.status === 'closed' ? 'approved' : null);
  if (!reg || reg.kind !== 'registered' || !service || !decision) return {};
  const p = reg.payload;
  const address = p.applicant.address ?? null;
  const waiting = state.status === 'waiting_applicant' && state.step ? state.step : null;
  // The letters carry their outgoing numbers and the dates they were registered under; a letter
  // printed before it is sent (no number yet) is dated today and refers to the registration number.
  const notice = state.letters.findLast((l) => l.kind === 'notice') ?? state.letters.findLast(() => true) ?? null;
  const result = state.letters.find((l) => l.kind === 'result') ?? null;
  const out: { notification?: PrintJob; coverLetter?: PrintJob } = {
    notification: {
      doc: 'notification',
      data: {
        regNumber: p.regNumber,
        outgoingNumber: notice?.number ?? null,
        issuedAt: notice?.at ?? now,
        provider: service.provider,
        service: service.names,
        applicantName: applicantDisplayName(p.applicant),
        applicantId: applicantKey(p.applicant),
        applicantAddress: address,
        decision,
        ground: decision === 'refused' ? state.refusalGround : null,
        nextSteps: waiting ? waiting.action : null,
        dueAt: waiting ? state.stepDueAt : null,
        officialName: official.name,
        officialPosition: official.position,
        headName: signedBy(state),
      },
    },
  };
  const enclosure = service.results.find((r) => r.type === (decision === 'refused' ? 'refusal' : 'positive'));
  out.coverLetter = {
    doc: 'coverLetter',
    data: {
      regNumber: p.regNumber,
      outgoingNumber: result?.number ?? null,
      issuedAt: result?.at ?? now,
      provider: service.provider,
      service: service.names,
      applicantName: applicantDisplayName(p.applicant),
      applicantAddress: address,
      enclosures: enclosure ? [{ name: enclosure.name, sheets: null }] : [],
      mode: state.issued?.mode ?? service.delivery[0] ?? 'mail',
      tracking: state.issued?.tracking ?? null,
      headName: signedBy(state),
      executorName: state.assignee?.name ?? official.name,
      executorPhone: null,
    },
  };
  return out;
}

/** How one recorded entry of an act prints: as written, a date as dd.MM.yyyy, yes/no and options in each language. */
function actLine(field: ActField, value: ActValue | undefined): ActLine {
  if (value === undefined) return { label: field.label, value: null };
  if (field.type === 'yes_no') return { label: field.label, value: { yesNo: value === true } };
  if (field.type === 'choice') {
    const option = field.options?.find((o) => o.id === value);
    return { label: field.label, value: option ? option.label : { kk: String(value), ru: String(value) } };
  }
  const text = field.type === 'date' ? printedIsoDate(String(value)) : String(value);
  return { label: field.label, value: { kk: text, ru: text } };
}

/**
 * The inspection act (акт обследования) as printed, from the act recorded on the application and
 * the form of the step it was recorded at, in the service version the application keeps.
 */
export function inspectionActJob(state: ApplicationState, act: ActEntry): PrintJob | null {
  const reg = state.registered;
  const service = state.service;
  const form = state.variant?.steps.find((s) => s.id === act.stepId)?.act;
  if (!reg || !service || !form) return null;
  const p = reg.payload;
  return {
    doc: 'inspectionAct',
    data: {
      regNumber: p.regNumber,
      provider: service.provider,
      service: service.names,
      title: form.title,
      basis: form.basis,
      recordedAt: Date.parse(act.at),
      applicantName: applicantDisplayName(p.applicant),
      applicantId: applicantKey(p.applicant),
      address: p.place ?? p.applicant.address ?? null,
      lines: form.fields.map((f) => actLine(f, act.values[f.id])),
      officialName: act.by.name ?? act.by.login,
    },
  };
}
