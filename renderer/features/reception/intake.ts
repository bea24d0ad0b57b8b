import { CalendarError, dueAt, type WorkCalendar } from '@shared/calendar';
import type { Channel, ServiceDefinition, Variant } from '@shared/catalogue';
import type { Applicant, PayloadOf, Representative } from '@shared/events';
import { validateIin, validateIinOrBin } from '@shared/identity';
import { officeHoursOf } from '@shared/workflow';

/** What the clerk has typed so far; kept as a local draft until registered. */
export interface ReceptionDraft {
  idInput: string;
  person: { surname: string; name: string; patronymic: string; birthDate: string; address: string; phone: string };
  entity: { title: string; head: string; address: string; phone: string };
  hasRepresentative: boolean;
  representative: { iin: string; fullName: string; poaNumber: string; poaDate: string };
  serviceId: string | null;
  variantId: string | null;
  channel: Channel | null;
  /** Per document id: received, and whether the original was shown and returned. */
  documents: Record<string, { received: boolean; original: boolean }>;
  consent: boolean;
  refusalReason: 'incomplete' | 'expired' | 'form' | 'other';
  note: string;
}

export const emptyDraft = (): ReceptionDraft => ({
  idInput: '',
  person: { surname: '', name: '', patronymic: '', birthDate: '', address: '', phone: '' },
  entity: { title: '', head: '', address: '', phone: '' },
  hasRepresentative: false,
  representative: { iin: '', fullName: '', poaNumber: '', poaDate: '' },
  serviceId: null,
  variantId: null,
  channel: null,
  documents: {},
  consent: false,
  refusalReason: 'incomplete',
  note: '',
});

/** A problem with the form: a key under `reception:errors` and the field it belongs to. */
export interface FieldError {
  field: string;
  code: string;
}

export type IntakeResult<P> = { ok: true; payload: P } | { ok: false; errors: FieldError[] };

const trimmed = (s: string): string | undefined => (s.trim() ? s.trim() : undefined);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function applicantKind(draft: ReceptionDraft): 'person' | 'legal_entity' | null {
  const r = validateIinOrBin(draft.idInput);
  if (!r.ok) return null;
  return r.kind === 'bin' ? 'legal_entity' : 'person';
}

function buildApplicant(draft: ReceptionDraft, errors: FieldError[]): Applicant | null {
  const id = validateIinOrBin(draft.idInput);
  if (!id.ok) {
    errors.push({ field: 'idInput', code: `identity:errors.${id.error}` });
    return null;
  }
  if (id.kind === 'bin') {
    const e = draft.entity;
    if (!e.title.trim()) errors.push({ field: 'entity.title', code: 'reception:errors.required' });
    return {
      kind: 'legal_entity',
      bin: id.value,
      title: e.title.trim(),
      head: trimmed(e.head),
      address: trimmed(e.address),
      phone: trimmed(e.phone),
    };
  }
  const p = draft.person;
  if (!p.surname.trim()) errors.push({ field: 'person.surname', code: 'reception:errors.required' });
  if (!p.name.trim()) errors.push({ field: 'person.name', code: 'reception:errors.required' });
  if (p.birthDate && !ISO_DATE.test(p.birthDate))
    errors.push({ field: 'person.birthDate', code: 'reception:errors.date' });
  return {
    kind: 'person',
    iin: id.value,
    surname: p.surname.trim(),
    name: p.name.trim(),
    patronymic: trimmed(p.patronymic),
    birthDate: trimmed(p.birthDate),
    address: trimmed(p.address),
    phone: trimmed(p.phone),
  };
}

function buildRepresentative(draft: ReceptionDraft, errors: FieldError[]): Representative | undefined {
  if (!draft.hasRepresentative) return undefined;
  const r = draft.representative;
  const iin = validateIin(r.iin);
  if (!iin.ok) errors.push({ field: 'representative.iin', code: `identity:errors.${iin.error}` });
  if (!r.fullName.trim()) errors.push({ field: 'representative.fullName', code: 'reception:errors.required' });
  if (!r.poaNumber.trim()) errors.push({ field: 'representative.poaNumber', code: 'reception:errors.required' });
  if (!ISO_DATE.test(r.poaDate)) errors.push({ field: 'representative.poaDate', code: 'reception:errors.date' });
  return {
    iin: iin.ok ? iin.value : r.iin,
    fullName: r.fullName.trim(),
    poaNumber: r.poaNumber.trim(),
    poaDate: r.poaDate,
  };
}

export function selectedVariant(draft: ReceptionDraft, service: ServiceDefinition | undefined): Variant | undefined {
  return service?.variants.find((v) => v.id === draft.variantId);
}

/**
 * The checklist's own written-consent document, where the service lists one: consent is then
 * that document received, and the clerk is not asked for it a second time as a checkbox.
 */
export const CONSENT_DOCUMENT = 'consent';

export function consentDocument(service: ServiceDefinition): boolean {
  return service.documents.items.some((d) => d.id === CONSENT_DOCUMENT);
}

/** Whether the applicant's consent (where the service needs it) is given on this draft. */
export function consentGiven(draft: ReceptionDraft, service: ServiceDefinition): boolean {
  return consentDocument(service) ? (draft.documents[CONSENT_DOCUMENT]?.received ?? false) : draft.consent;
}

/** Documents of the checklist not marked received. */
export function missingDocuments(draft: ReceptionDraft, service: ServiceDefinition): string[] {
  return service.documents.items.filter((d) => !d.optional && !draft.documents[d.id]?.received).map((d) => d.id);
}

function common(
  draft: ReceptionDraft,
  service: ServiceDefinition | undefined,
  errors: FieldError[],
): Omit<PayloadOf<'registered'>, 'regNumber'> | null {
  const applicant = buildApplicant(draft, errors);
  const representative = buildRepresentative(draft, errors);
  if (!service) {
    errors.push({ field: 'serviceId', code: 'reception:errors.serviceRequired' });
    return null;
  }
  const variant = selectedVariant(draft, service);
  if (!variant) errors.push({ field: 'variantId', code: 'reception:errors.variantRequired' });
  const channel = draft.channel;
  if (!channel || (variant && !variant.channels.includes(channel)))
    errors.push({ field: 'channel', code: 'reception:errors.channelRequired' });
  if (!applicant || !variant || !channel) return null;
  if (applicant.kind === 'legal_entity' && !service.recipients.includes('legal_entity'))
    errors.push({ field: 'idInput', code: 'reception:errors.notForLegalEntities' });
  if (applicant.kind === 'person' && !service.recipients.includes('person'))
    errors.push({ field: 'idInput', code: 'reception:errors.notForPersons' });
  return {
    serviceId: service.id,
    serviceVersion: service.version,
    variantId: variant.id,
    channel,
    applicant,
    representative,
    documents: service.documents.items.map((d) => ({
      id: d.id,
      received: draft.documents[d.id]?.received ?? false,
      original: draft.documents[d.id]?.original ?? false,
    })),
    consent: service.consentRequired ? consentGiven(draft, service) : undefined,
    note: trimmed(draft.note),
  };
}

/** The registration, if the package is complete; otherwise every reason it is not. */
export function buildRegistration(
  draft: ReceptionDraft,
  service: ServiceDefinition | undefined,
): IntakeResult<Omit<PayloadOf<'registered'>, 'regNumber'>> {
  const errors: FieldError[] = [];
  const payload = common(draft, service, errors);
  if (service && missingDocuments(draft, service).length > 0)
    errors.push({ field: 'documents', code: 'reception:errors.documentsMissing' });
  if (service?.consentRequired && !consentGiven(draft, service))
    errors.push({
      field: consentDocument(service) ? 'documents' : 'consent',
      code: 'reception:errors.consentRequired',
    });
  return payload && errors.length === 0 ? { ok: true, payload } : { ok: false, errors };
}

/** The refusal to accept: needs the applicant and service, and a reason (missing documents for an incomplete package). */
export function buildRefusal(
  draft: ReceptionDraft,
  service: ServiceDefinition | undefined,
): IntakeResult<Omit<PayloadOf<'intake_refused'>, 'regNumber'>> {
  const errors: FieldError[] = [];
  const payload = common(draft, service, errors);
  const missing = service ? missingDocuments(draft, service) : [];
  if (draft.refusalReason === 'incomplete' && missing.length === 0)
    errors.push({ field: 'documents', code: 'reception:errors.nothingMissing' });
  if (draft.refusalReason !== 'incomplete' && !draft.note.trim())
    errors.push({ field: 'note', code: 'reception:errors.reasonRequired' });
  return payload && errors.length === 0
    ? { ok: true, payload: { ...payload, reason: draft.refusalReason, missing } }
    : { ok: false, errors };
}

/** The date the result is due if registered now; null when the regulation gives no number. */
export function resultDueAt(
  service: ServiceDefinition,
  variant: Variant,
  calendar: WorkCalendar,
  now: number,
): number | null {
  return resultDue(service, variant, calendar, now).at;
}

/**
 * The result date if registered now, or why there is none: the regulation gives no number, or the
 * deadline reaches into a year whose calendar is not published (`calendarMissingYear`) — then no
 * date is guessed, and registration goes on.
 */
export function resultDue(
  service: ServiceDefinition,
  variant: Variant,
  calendar: WorkCalendar,
  now: number,
): { at: number | null; calendarMissingYear: number | null } {
  if (!variant.deadline) return { at: null, calendarMissingYear: null };
  try {
    return { at: dueAt(calendar, officeHoursOf(service), now, variant.deadline), calendarMissingYear: null };
  } catch (e) {
    if (e instanceof CalendarError) return { at: null, calendarMissingYear: e.year };
    throw e;
  }
}
