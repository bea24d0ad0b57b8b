import { z } from 'zod';
import { channelSchema, DELIVERY_MODES } from '../catalogue/schema';
import { formatHlc, type Hlc } from './hlc';
import { contentDigest } from './contentDigest';
import { CODE_PATTERN, eventId, parseEventId } from './ids';

/**
 * Every action on an application is one immutable event document. Nothing is ever updated, so
 * replication never produces conflicts; the application's state is a fold of its events.
 */

/** Roles that hold accounts (CouchDB user roles). */
export const STAFF_ROLES = [
  'clerk',
  'head',
  'executor',
  'commission',
  'office_admin',
  'catalog_admin',
  'supervisor',
] as const;
export const staffRoleSchema = z.enum(STAFF_ROLES);
/**
 * The roles of an office's daily work, the ones an application's steps name: what an office admin
 * may grant and the staff directory lists. office_admin, catalog_admin and supervisor span offices
 * or an admin's own power.
 */
export const WORK_ROLES = ['clerk', 'head', 'executor', 'commission'] as const;
export type StaffRole = z.infer<typeof staffRoleSchema>;

const note = z.string().max(2000).optional();
/** CouchDB 3 refuses documents over 8 MB; a scan stays well under it after downscaling. */
export const MAX_ATTACHMENT_BYTES = 6 * 1024 * 1024;
const stepId = z.string().min(1).max(64);
const login = z.string().min(1).max(128);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/**
 * The outgoing number (исходящий / шығыс нөмірі) the recording desk gave the letter this event
 * sends out (see `outgoingLetter` in shared/workflow), so that it replicates with the event.
 */
const outgoingNumber = z
  .string()
  .regex(/^[A-Z0-9]{2,16}-[A-Z0-9]{2,16}\/\d{6,}$/)
  .optional();

export const applicantSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('person'),
      iin: z.string().regex(/^\d{12}$/),
      surname: z.string().min(1).max(100),
      name: z.string().min(1).max(100),
      patronymic: z.string().max(100).optional(),
      birthDate: isoDate.optional(),
      address: z.string().max(300).optional(),
      phone: z.string().max(40).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('legal_entity'),
      bin: z.string().regex(/^\d{12}$/),
      title: z.string().min(1).max(300),
      head: z.string().max(200).optional(),
      address: z.string().max(300).optional(),
      phone: z.string().max(40).optional(),
    })
    .strict(),
]);
export type Applicant = z.infer<typeof applicantSchema>;

/** A representative acting by power of attorney (доверенность / сенімхат). */
export const representativeSchema = z
  .object({
    iin: z.string().regex(/^\d{12}$/),
    fullName: z.string().min(1).max(300),
    poaNumber: z.string().min(1).max(60),
    poaDate: isoDate,
  })
  .strict();
export type Representative = z.infer<typeof representativeSchema>;

const documentMark = z
  .object({ id: z.string().min(1).max(64), received: z.boolean(), original: z.boolean().optional() })
  .strict();

/** What the reception desk records for an application, accepted or refused. */
const intakeFields = {
  serviceId: z.string().min(1),
  serviceVersion: z.string().min(1),
  variantId: z.string().min(1),
  channel: channelSchema,
  regNumber: z.string().min(1).max(64),
  applicant: applicantSchema,
  representative: representativeSchema.optional(),
  documents: z.array(documentMark).max(100),
  /** Written consent to use confidential information from information systems, where required. */
  consent: z.boolean().optional(),
  /**
   * Taken at the applicant's home (channel `home_visit`): where, as the worker wrote it. When is the
   * event's own time. The applicant's consent to the intake at home is `homeConsent`.
   */
  place: z.string().trim().min(1).max(300).optional(),
  homeConsent: z.boolean().optional(),
  note,
};

export const payloadSchemas = {
  /** Accepted at the desk and given a registration number (тіркелді / зарегистрировано). */
  registered: z.object(intakeFields).strict(),
  /** Refusal to accept an incomplete or expired package (расписка об отказе в приеме документов). */
  intake_refused: z
    .object({
      ...intakeFields,
      reason: z.enum(['incomplete', 'expired', 'form', 'other']),
      missing: z.array(z.string().min(1).max(64)).max(100),
    })
    .strict(),
  /** The head's resolution (бұрыштама / резолюция): who executes, with a note. */
  resolution: z.object({ stepId, executor: login, executorName: z.string().max(200), note }).strict(),
  /** The head hands the application to another executor. */
  reassigned: z.object({ executor: login, executorName: z.string().max(200), note }).strict(),
  /** A step done, with its outcome where the step decides something. */
  step_done: z
    .object({
      stepId,
      outcome: z.enum(['done', 'skipped', 'approved', 'refused']),
      /** For a refusal: the legal ground, in words (мотивированный отказ). */
      ground: z.string().max(2000).optional(),
      outgoingNumber,
      note,
    })
    .strict(),
  /** A commission's decision or recommendation, from its minutes. */
  commission_decision: z
    .object({
      stepId,
      decision: z.enum(['approved', 'refused']),
      meetingDate: isoDate,
      minutesNo: z.string().min(1).max(60),
      ground: z.string().max(2000).optional(),
      note,
    })
    .strict(),
  /** The head signs the result (or the refusal). */
  signed: z.object({ stepId, note }).strict(),
  /** The head sends the work back to the executor (на доработку / пысықтауға). */
  returned: z.object({ toStepId: stepId, note }).strict(),
  /** The applicant brought what was asked for (guarantee documents, originals, fee copies…). */
  documents_received: z.object({ stepId, documents: z.array(z.string().max(64)).max(100), note }).strict(),
  /** The applicant's time ran out; the step's `onExpire` decides what follows. */
  wait_expired: z.object({ stepId, note }).strict(),
  /** The result handed over: in person, by proxy, by post, to the portal… */
  issued: z
    .object({
      stepId,
      mode: z.enum(DELIVERY_MODES),
      proxy: representativeSchema.optional(),
      tracking: z.string().max(60).optional(),
      outgoingNumber,
      note,
    })
    .strict(),
  /**
   * A longer term the regulation allows on a named ground (продление срока / мерзімді ұзарту), e.g.
   * 004/13's 20 working days when documents are insufficient: `extensionId` names the variant's
   * extension, `reason` says why in this case.
   */
  deadline_extended: z
    .object({ stepId, extensionId: z.string().min(1).max(64), reason: z.string().trim().min(1).max(2000), note })
    .strict(),
  /**
   * The inspection act (акт обследования / тексеру актісі) drawn up at a visit step, by the field
   * ids of the step's act form (shared/catalogue/act.ts). Recorded again, the later act stands.
   */
  act_recorded: z
    .object({
      stepId,
      values: z.record(
        z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
        z.union([z.string().max(2000), z.number(), z.boolean()]),
      ),
      note,
    })
    .strict(),
  /** The applicant withdrew the application. */
  withdrawn: z.object({ note }).strict(),
  /**
   * A scan or photo added to the file: the bytes travel as the event document's attachment
   * (named `name`), so they replicate with it and, like every event, are never changed.
   */
  attachment_added: z
    .object({
      name: z.string().regex(/^[^/\\]{1,120}$/),
      contentType: z.enum(['image/jpeg', 'image/png', 'application/pdf']),
      size: z.number().int().positive().max(MAX_ATTACHMENT_BYTES),
      /**
       * SHA-256 (hex) of the bytes. It is content, so the event's id fixes it: the server hands a
       * validator no attachment digest for inline uploads, so the bytes are bound here and the
       * desk checks them against it (`Desk.attachment`). Absent on events written before it.
       */
      sha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .optional(),
      note,
    })
    .strict(),
} as const;

export type EventKind = keyof typeof payloadSchemas;
export const EVENT_KINDS = Object.keys(payloadSchemas) as EventKind[];
export type PayloadOf<K extends EventKind> = z.infer<(typeof payloadSchemas)[K]>;

/**
 * Which roles may record which kind at all. The workflow engine then checks the step; the server
 * checks this table and the actor's identity (validate_doc_update).
 */
export const KIND_ROLES: Record<EventKind, readonly StaffRole[]> = {
  registered: ['clerk'],
  intake_refused: ['clerk'],
  resolution: ['head'],
  reassigned: ['head'],
  step_done: ['clerk', 'head', 'executor', 'commission'],
  commission_decision: ['commission'],
  signed: ['head'],
  returned: ['head'],
  documents_received: ['clerk'],
  wait_expired: ['clerk', 'head', 'executor'],
  deadline_extended: ['clerk', 'head', 'executor', 'commission'],
  issued: ['clerk', 'executor'],
  withdrawn: ['clerk'],
  act_recorded: ['executor', 'commission', 'clerk', 'head'],
  attachment_added: ['clerk', 'head', 'executor', 'commission'],
};

export const actorRefSchema = z.object({ login, role: staffRoleSchema, name: z.string().max(200).optional() }).strict();
export type ActorRef = z.infer<typeof actorRefSchema>;

/**
 * The event's link in its device's audit chain (shared/audit): its position, from 1, and the
 * SHA-256 of the device's previous event (none for the first). Events written before the chain
 * existed have no link. The server's validator checks the same shape (shared/couch).
 */
export const chainLinkSchema = z
  .object({
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    prev: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable(),
  })
  .strict()
  .refine((c) => (c.seq === 1) === (c.prev === null), { message: 'the first link has no previous hash' });
export type ChainLink = z.infer<typeof chainLinkSchema>;

interface Envelope {
  _id: string;
  type: 'event';
  v: 1;
  appId: string;
  office: string;
  device: string;
  hlc: string;
  /** Wall-clock time of the action (ISO 8601, UTC): what deadlines are counted from. */
  at: string;
  actor: ActorRef;
  /** Set by the desk as the event is written (renderer/data/read/auditChain.ts); absent on older events. */
  chain?: ChainLink;
}
export type EventDoc<K extends EventKind = EventKind> = K extends EventKind
  ? Envelope & { kind: K; payload: PayloadOf<K> }
  : never;

const envelopeSchema = z.object({
  _id: z.string(),
  _rev: z.string().optional(),
  type: z.literal('event'),
  v: z.literal(1),
  kind: z.enum(EVENT_KINDS as [EventKind, ...EventKind[]]),
  appId: z.string().regex(/^[A-Z0-9]{2,64}$/),
  office: z.string().regex(CODE_PATTERN),
  device: z.string().regex(CODE_PATTERN),
  hlc: z.string().regex(/^\d{15}-\d{4}$/),
  at: z.iso.datetime({ offset: true }),
  actor: actorRefSchema,
  chain: chainLinkSchema.optional(),
  payload: z.unknown(),
});

export type EventProblem =
  | 'event.shape'
  | 'event.badId'
  | 'event.payload'
  | 'event.roleNotAllowed'
  /** The content does not match the digest its id carries: a forged or altered revision. */
  | 'event.contentMismatch';

/** The digest of a document's content, or null when it holds something no event may hold. */
export function eventDigest(doc: object): string | null {
  try {
    return contentDigest(doc);
  } catch {
    return null;
  }
}

/** The id an event's content gives it (the envelope fields and the digest of everything else). */
export function contentEventId(doc: Pick<Envelope, 'appId' | 'hlc' | 'device'>): string {
  return eventId(doc.appId, doc.hlc, doc.device, contentDigest(doc));
}

/**
 * Whether a revision's content is the one its id names. A legacy id (no digest) names none; it
 * counts as verified here and is watched by the integrity check instead (conflicting revisions).
 */
export function verifiesId(doc: Record<string, unknown>): boolean {
  const parsed = typeof doc['_id'] === 'string' ? parseEventId(doc['_id']) : null;
  if (!parsed) return false;
  return parsed.digest === null || parsed.digest === eventDigest(doc);
}

/**
 * Checks a stored or replicated document; the fold ignores (and reports) anything that fails.
 * `contentVerified`: the caller has just checked this very document's content against its id
 * (`verifiesId`, the desk's projection does for every event), so the digest is not computed twice.
 */
export function parseEvent(
  doc: unknown,
  opts: { contentVerified?: boolean } = {},
): { ok: true; event: EventDoc } | { ok: false; problem: EventProblem } {
  const env = envelopeSchema.safeParse(doc);
  if (!env.success) return { ok: false, problem: 'event.shape' };
  const e = env.data;
  const id = parseEventId(e._id);
  if (!id || id.appId !== e.appId || id.hlc !== e.hlc || id.device !== e.device)
    return { ok: false, problem: 'event.badId' };
  if (id.digest !== null && !opts.contentVerified && id.digest !== eventDigest(doc as Record<string, unknown>))
    return { ok: false, problem: 'event.contentMismatch' };
  if (!KIND_ROLES[e.kind].includes(e.actor.role)) return { ok: false, problem: 'event.roleNotAllowed' };
  const payload = payloadSchemas[e.kind].safeParse(e.payload);
  if (!payload.success) return { ok: false, problem: 'event.payload' };
  const { _rev: _ignored, ...rest } = e;
  return { ok: true, event: { ...rest, payload: payload.data } as EventDoc };
}

/** Builds a new event document; the payload is validated here, before anything is written. */
export function makeEvent<K extends EventKind>(input: {
  kind: K;
  appId: string;
  office: string;
  device: string;
  clock: Hlc;
  now: number;
  actor: ActorRef;
  payload: PayloadOf<K>;
}): EventDoc<K> {
  const hlc = formatHlc(input.clock);
  const payload = payloadSchemas[input.kind].parse(input.payload) as PayloadOf<K>;
  const content = {
    type: 'event',
    v: 1,
    kind: input.kind,
    appId: input.appId,
    office: input.office,
    device: input.device,
    hlc,
    at: new Date(input.now).toISOString(),
    actor: input.actor,
    payload,
  } as const;
  // The audit chain link, when the desk adds it, changes the content: linkEvent sets the id again.
  return { _id: contentEventId(content), ...content } as EventDoc<K>;
}

/** The order every replica folds in: clock, then device. */
export function compareEvents(a: Pick<Envelope, 'hlc' | 'device'>, b: Pick<Envelope, 'hlc' | 'device'>): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1;
  return a.device < b.device ? -1 : a.device > b.device ? 1 : 0;
}
