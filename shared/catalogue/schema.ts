import { z } from 'zod';

/**
 * A state service described as data, the way its regulation (регламент / регламент) describes it.
 * The workflow engine reads nothing else: a new regulation is a new version of this data, not code.
 */

/** Every text a person reads exists in Kazakh and Russian. */
export const textSchema = z.object({ kk: z.string().trim().min(1), ru: z.string().trim().min(1) }).strict();
export type Text = z.infer<typeof textSchema>;

/** A real calendar date: 2025-02-30 matches the pattern but is no date. */
function isRealDate(text: string): boolean {
  const [y, m, d] = text.split('-').map(Number);
  if (y === undefined || m === undefined || d === undefined) return false;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/**
 * Custom problems carry a `code` (and its values) in `params`: the catalogue administration shows
 * them translated (`catalogue:issues.<code>`), the command-line check prints the English message.
 */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine(isRealDate, { message: 'no such date', params: { code: 'noSuchDate' } });
const idSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and hyphens');

/** How long a step may take, as the regulation words it. */
export const NORM_UNITS = [
  'minutes',
  'hours',
  'working_days',
  /** «в день поступления»: the same working day. */
  'same_working_day',
  'calendar_days',
  'months',
  /** «дней» with no qualifier (004/2); the engine counts them as working days, the safer reading. */
  'days_unspecified',
] as const;
export const normSchema = z
  .object({
    value: z.number().int().nonnegative(),
    unit: z.enum(NORM_UNITS),
    /** The regulation's own words, kept for the timeline and for audits. */
    text: z.string().optional(),
    /** The number was reconstructed from garbled extracted text. */
    reconstructed: z.boolean().optional(),
    /** Counted from registration rather than from the start of the step (a cumulative limit). */
    from: z.enum(['step', 'registration']).optional(),
  })
  .strict();
export type Norm = z.infer<typeof normSchema>;

/** Where an application comes in. */
export const CHANNELS = ['provider_office', 'con', 'state_corporation', 'portal', 'home_visit', 'mail'] as const;
export const channelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof channelSchema>;

/**
 * Who in Kense records a step. The regulations name many posts (district specialist, responsible
 * specialist, ЦОН worker…); the desk needs the handful of roles that hold accounts, plus the
 * applicant (the clerk records what the applicant brings) and automated or outside work.
 */
export const ACTORS = ['clerk', 'head', 'executor', 'commission', 'applicant', 'system'] as const;
export const actorSchema = z.enum(ACTORS);
export type Actor = z.infer<typeof actorSchema>;

export const STEP_KINDS = [
  'submit',
  'intake',
  'consent',
  'is_query',
  'assign',
  'review',
  'survey',
  'commission',
  'decision',
  'prepare',
  'sign',
  'register_outgoing',
  'notify',
  'applicant_wait',
  'transfer',
  'publish',
  'issue',
  'mail',
  'external',
  'system',
] as const;
export const stepKindSchema = z.enum(STEP_KINDS);
export type StepKind = z.infer<typeof stepKindSchema>;

/** What happens when the applicant does not bring what was asked for in time. */
export const WAIT_EXPIRY = [
  /** Closed without a result: e.g. guarantee documents never supplied (not regulated; engine-defined). */
  'close_not_supplied',
  /** Refusal to accept the application (004/6: originals not brought within 3 working days). */
  'refuse_intake',
  /** The result goes by post (003: not collected within 2 working days). */
  'mail_result',
] as const;

export const stepSchema = z
  .object({
    /** Stable within the variant; events name steps by it. */
    id: idSchema,
    /** The step's label in the regulation («2», «2a», «C1»). */
    n: z.string().min(1),
    kind: stepKindSchema,
    actor: actorSchema,
    /** The regulation's own post for this step (office_clerk, district_head, con_worker…). */
    role: z.string().min(1),
    action: textSchema,
    /** null: the regulation states no number (often «в сроки, установленные Стандартом»). */
    norm: normSchema.nullable(),
    /**
     * Only on one side of a decision: `positive` steps are skipped once the application is refused
     * (e.g. waiting for guarantee documents), `negative` steps run only then.
     */
    branch: z.enum(['positive', 'negative']).optional(),
    /** The step exists only for applications that came through this channel. */
    channel: channelSchema.optional(),
    /** The step runs only when its condition holds; the actor records that it did not apply. */
    condition: textSchema.optional(),
    /** Commission steps: whether the commission decides or only recommends (ұсыным). */
    commission: z
      .object({ binding: z.enum(['decision', 'recommendation']) })
      .strict()
      .optional(),
    /** Applicant-wait steps: the outcome when the wait expires. */
    onExpire: z.enum(WAIT_EXPIRY).optional(),
    /**
     * The case ends once this step is done: the last step of an early exit on one side of a
     * decision (004/17: an incomplete package is refused and the documents returned within five
     * working days of receipt, and the commission never sees it). Only on a `branch` step.
     */
    closes: z.boolean().optional(),
    note: z.string().optional(),
  })
  .strict()
  .superRefine((step, ctx) => {
    if (step.closes && !step.branch)
      ctx.addIssue({
        code: 'custom',
        path: ['closes'],
        message: 'only a step on one side of a decision closes the case early',
        params: { code: 'closesWithoutBranch' },
      });
    if (step.kind === 'commission' && !step.commission)
      ctx.addIssue({
        code: 'custom',
        path: ['commission'],
        message: 'a commission step says whether it decides',
        params: { code: 'commissionBinding' },
      });
    if (step.kind === 'applicant_wait' && !step.onExpire)
      ctx.addIssue({
        code: 'custom',
        path: ['onExpire'],
        message: 'an applicant wait says what happens on expiry',
        params: { code: 'waitExpiry' },
      });
  });
export type Step = z.infer<typeof stepSchema>;

/**
 * How a recorded extension changes a term: `set` replaces the norm (an overall deadline is then
 * counted again from registration, a step's from its start or as its `from` says), `add` lengthens
 * the due time already running by the given amount (004/2's «продлевается на 1 (один) месяц»).
 */
export const termChangeSchema = z
  .object({ set: normSchema.optional(), add: normSchema.optional() })
  .strict()
  .refine((c) => (c.set === undefined) !== (c.add === undefined), {
    message: 'either set or add, not both',
    params: { code: 'setOrAdd' },
  });
export type TermChange = z.infer<typeof termChangeSchema>;

/**
 * A longer term the regulation allows mid-case on a named ground (продление срока / мерзімді
 * ұзарту). Whoever must act on one of the `during` steps records it, once per application, with
 * the reason in this case; the engine then follows the changed terms.
 */
export const extensionSchema = z
  .object({
    id: idSchema,
    /** The regulation's ground, as offered to the person recording it. */
    ground: textSchema,
    /** The regulation's own words. */
    text: z.string().optional(),
    /** The steps during which it may be recorded. */
    during: z.array(idSchema).min(1),
    /** The overall deadline's change. */
    deadline: termChangeSchema.optional(),
    /** Changes of step norms, by step id: the current step at once, later steps when they start. */
    steps: z.record(idSchema, termChangeSchema).optional(),
  })
  .strict()
  .refine((x) => x.deadline !== undefined || (x.steps !== undefined && Object.keys(x.steps).length > 0), {
    message: 'an extension changes the deadline or a step norm',
    params: { code: 'extensionChangesNothing' },
  });
export type Extension = z.infer<typeof extensionSchema>;

export const PROCEDURES = ['issue', 'reissue', 'extend'] as const;
export const APPLICANT_TYPES = ['person', 'employer', 'foreign_worker', 'labour_immigrant', 'legal_entity'] as const;

export const variantSchema = z
  .object({
    id: idSchema,
    label: textSchema,
    channels: z.array(channelSchema).min(1),
    /** Issue / reissue / extend, where the service distinguishes them. */
    procedures: z.array(z.enum(PROCEDURES)).optional(),
    /** Employer / foreign worker …, where the service distinguishes them. */
    applicants: z.array(z.enum(APPLICANT_TYPES)).optional(),
    /** Intra-corporate transfer (внутрикорпоративный перевод), where it matters. */
    ict: z.boolean().optional(),
    /** The overall deadline; null when the regulation defers to the Standard without a number. */
    deadline: normSchema.nullable(),
    steps: z.array(stepSchema).min(1),
    /** Longer terms the regulation allows on a named ground, recorded mid-case. */
    extensions: z.array(extensionSchema).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const ids = new Set(v.steps.map((s) => s.id));
    (v.extensions ?? []).forEach((x, i) => {
      if (v.extensions?.findIndex((o) => o.id === x.id) !== i)
        ctx.addIssue({
          code: 'custom',
          path: ['extensions', i, 'id'],
          message: `duplicate extension ${x.id}`,
          params: { code: 'duplicate', id: x.id },
        });
      x.during.forEach((id, j) => {
        if (!ids.has(id))
          ctx.addIssue({
            code: 'custom',
            path: ['extensions', i, 'during', j],
            message: `no step ${id}`,
            params: { code: 'noStep', id },
          });
      });
      for (const id of Object.keys(x.steps ?? {}))
        if (!ids.has(id))
          ctx.addIssue({
            code: 'custom',
            path: ['extensions', i, 'steps', id],
            message: `no step ${id}`,
            params: { code: 'noStep', id },
          });
      if (x.deadline && v.deadline === null && x.deadline.add)
        ctx.addIssue({
          code: 'custom',
          path: ['extensions', i, 'deadline'],
          message: 'nothing to add to: the variant has no deadline',
          params: { code: 'nothingToAdd' },
        });
    });
    const seen = new Set<string>();
    v.steps.forEach((s, i) => {
      if (seen.has(s.id))
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'id'],
          message: `duplicate step id ${s.id}`,
          params: { code: 'duplicate', id: s.id },
        });
      seen.add(s.id);
      if (s.channel && !v.channels.includes(s.channel))
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'channel'],
          message: 'step channel not among the variant channels',
          params: { code: 'stepChannel' },
        });
    });
  });
export type Variant = z.infer<typeof variantSchema>;

export const documentSchema = z
  .object({
    id: idSchema,
    name: textSchema,
    /** The original is shown and returned after checking; a copy stays in the file. */
    original: z.boolean().optional(),
    /** Needed only in some cases (e.g. a representative's power of attorney). */
    optional: z.boolean().optional(),
  })
  .strict();
export type RequiredDocument = z.infer<typeof documentSchema>;

export const RESULT_TYPES = ['positive', 'refusal', 'interim', 'refused_at_intake'] as const;
export const DELIVERY_MODES = [
  'in_person',
  'proxy',
  'mail',
  'via_con',
  'via_state_corporation',
  'portal',
  'email',
  'e_licensing',
  'bank_transfer',
] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];
export const OFFICE_HOURS = ['provider', 'provider_long', 'con'] as const;

/**
 * Where a provider acts: the republic (a central body's territorial units) or one region — the
 * cities of republican significance and the oblasts, with South Kazakhstan kept for acts issued
 * before it became Turkestan oblast (2018). Names are in `locales/*\/catalogue.json` (regions.*).
 */
export const REGIONS = [
  'republic',
  'astana',
  'almaty_city',
  'shymkent',
  'abai',
  'akmola',
  'aktobe',
  'almaty_region',
  'atyrau',
  'east_kazakhstan',
  'jambyl',
  'jetisu',
  'karaganda',
  'kostanay',
  'kyzylorda',
  'mangystau',
  'north_kazakhstan',
  'pavlodar',
  'turkestan',
  'ulytau',
  'west_kazakhstan',
  'south_kazakhstan',
] as const;
export const regionSchema = z.enum(REGIONS);
export type Region = z.infer<typeof regionSchema>;

export const serviceSchema = z
  .object({
    id: idSchema,
    /** An application keeps the version it was registered under. */
    version: z.string().regex(/^\d+(\.\d+)*$/),
    validFrom: isoDate,
    /** null while in force; the seed acts are all repealed, so they carry their repeal date. */
    validTo: isoDate.nullable(),
    source: z
      .object({
        file: z.string(),
        ref: z.string(),
        language: z.enum(['kk', 'ru']),
        act: z.string(),
        repealedBy: z.string().nullable(),
        standard: z.string().nullable(),
      })
      .strict(),
    names: textSchema,
    provider: textSchema,
    /**
     * The provider as a stable id (услугодатель / көрсетілетін қызметті беруші): an office profile
     * lists the providers it acts for by these ids, and Reception offers only their services.
     */
    providerId: idSchema,
    /** Where the provider acts. */
    region: regionSchema,
    /** The central state body the service belongs to, as of the act. */
    ministry: textSchema,
    /** What this version changed against the one before, for the catalogue's list of versions. */
    changes: textSchema.optional(),
    recipients: z.array(z.enum(['person', 'legal_entity'])).min(1),
    channels: z.array(channelSchema).min(1),
    /** Which schedule the working-time arithmetic uses (see shared/calendar). */
    officeHours: z.enum(OFFICE_HOURS),
    fee: z.object({ free: z.boolean().nullable(), text: textSchema.nullable() }).strict(),
    /** Written consent to use confidential information held in information systems. */
    consentRequired: z.boolean(),
    /** ЦОН or social workers take documents at home for those who cannot come. */
    homeVisit: z.boolean(),
    documents: z
      .object({
        items: z.array(documentSchema),
        /** The seed only refers to the Standard's list: an office administrator completes it. */
        toBeConfigured: z.boolean(),
      })
      .strict(),
    results: z.array(z.object({ type: z.enum(RESULT_TYPES), name: textSchema }).strict()).min(1),
    delivery: z.array(z.enum(DELIVERY_MODES)).min(1),
    variants: z.array(variantSchema).min(1),
    /** What the seed leaves unclear, kept with the data so nobody mistakes a guess for the rule. */
    ambiguities: z.array(z.string()),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.validTo !== null && s.validTo < s.validFrom)
      ctx.addIssue({
        code: 'custom',
        path: ['validTo'],
        message: 'validTo before validFrom',
        params: { code: 'validToBeforeFrom' },
      });
    const seen = new Set<string>();
    s.variants.forEach((v, i) => {
      if (seen.has(v.id))
        ctx.addIssue({
          code: 'custom',
          path: ['variants', i, 'id'],
          message: `duplicate variant ${v.id}`,
          params: { code: 'duplicate', id: v.id },
        });
      seen.add(v.id);
    });
    s.documents.items.forEach((d, i) => {
      if (s.documents.items.findIndex((o) => o.id === d.id) !== i)
        ctx.addIssue({
          code: 'custom',
          path: ['documents', 'items', i, 'id'],
          message: `duplicate document ${d.id}`,
          params: { code: 'duplicate', id: d.id },
        });
    });
  });
export type ServiceDefinition = z.infer<typeof serviceSchema>;
