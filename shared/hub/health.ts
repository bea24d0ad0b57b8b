import { z } from 'zod';

/**
 * The office hub's health, as its own status endpoint (`GET /_kense/status`) answers it to anyone
 * on the LAN (the office's IT person, a monitoring script) and as Settings → Office hub shows it.
 * Counts and times only: no login, no name, no address of a desk, no event content, no password.
 *
 * Times are milliseconds since the epoch (the hub's clock); null where the hub does not know yet.
 */

/** Why the hub last failed at something, as a translatable code (settings:hub.health.error.*). */
export const HUB_HEALTH_ERRORS = [
  /** Central could not be reached (no network, wrong address, central down). */
  'centralUnreachable',
  /** Central refused the hub's account (wrong password, or the account lost its role). */
  'centralRefused',
  /** Central refused a document the hub relayed (the document stays on the hub and the desks). */
  'documentRefused',
  /** The disk is (nearly) full: the hub cannot take more writes. */
  'diskFull',
  /** Writing to the hub's own storage failed. */
  'storage',
  /** Staff accounts could not be copied from central. */
  'staffCopy',
] as const;
export type HubHealthError = (typeof HUB_HEALTH_ERRORS)[number];

export const hubHealthSchema = z
  .object({
    service: z.literal('kense-hub'),
    office: z.string(),
    /** When this run of the hub started. */
    startedAt: z.number(),
    /**
     * Where it listens (the host it was given: 0.0.0.0 is every interface of the computer), and the
     * computer's LAN addresses that desks use then.
     */
    serving: z.object({ host: z.string(), port: z.number().int(), addresses: z.array(z.string()) }).strict(),
    /** Desks (distinct client computers) that synced with the hub in the last hour. */
    desksLastHour: z.number().int().min(0),
    central: z
      .object({
        /** Null until the first attempt has an answer. */
        reached: z.boolean().nullable(),
        /** The last time central answered. */
        lastReachedAt: z.number().nullable(),
      })
      .strict(),
    /** Events on the hub that central does not have yet, and since when some have been waiting. */
    waiting: z.object({ events: z.number().int().min(0), since: z.number().nullable() }).strict(),
    /** The hub's data directory on disk, and what is left on that disk. */
    disk: z.object({ usedBytes: z.number().min(0), freeBytes: z.number().min(0).nullable() }).strict(),
    /**
     * The office's staff accounts copied from central (null: the hub copies none), counts only;
     * `skipped`: accounts whose password verifier the hub cannot check.
     */
    staff: z
      .object({
        state: z.enum(['pending', 'copied', 'refused', 'unreachable']),
        count: z.number().int().min(0),
        skipped: z.number().int().min(0),
        lastCopyAt: z.number().nullable(),
      })
      .strict()
      .nullable(),
    lastError: z
      .object({ code: z.enum(HUB_HEALTH_ERRORS), at: z.number() })
      .strict()
      .nullable(),
  })
  .strict();
export type HubHealth = z.infer<typeof hubHealthSchema>;

/** Where the hub answers it. */
export const HUB_STATUS_PATH = '/_kense/status';
