import { z } from 'zod';
import { LOGIN_PATTERN } from '../auth/identity';
import { WORK_ROLES } from '../events/event';
import { CODE_PATTERN } from '../events/ids';

/**
 * The office's staff directory (штат / қызметкерлер тізімі): who works in the office, under which
 * roles, and whether they still do. One document per person in the office database, so that every
 * desk has it offline (a head picks the executor from it; a desk refuses an assignment to anyone
 * who is not an active executor in it).
 *
 * Written only by the Kense central service (server/central) as the server admin, whenever an
 * office admin adds, changes, deactivates or re-enables a person there; the office database's
 * validator refuses these documents from anyone else. No password material, ever.
 */
export const STAFF_DIRECTORY_PREFIX = 'staff:';

export const staffDirectoryId = (login: string): string => `${STAFF_DIRECTORY_PREFIX}${login}`;

/** The roles a directory entry may list: the office's daily work. */
export const DIRECTORY_ROLES = WORK_ROLES;

export const staffDirectoryEntrySchema = z
  .object({
    _id: z.string(),
    _rev: z.string().optional(),
    type: z.literal('staff'),
    v: z.literal(1),
    office: z.string().regex(CODE_PATTERN),
    login: z.string().regex(LOGIN_PATTERN),
    fullName: z.string().max(200),
    roles: z.array(z.enum(DIRECTORY_ROLES)).max(DIRECTORY_ROLES.length),
    /** False once deactivated: kept so that old events still name the person. */
    active: z.boolean(),
    /** ISO 8601 time of the last change, by the central service's clock. */
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .strict()
  .refine((d) => d._id === staffDirectoryId(d.login), { message: 'the id is staff:<login>' });

export type StaffDirectoryEntry = z.infer<typeof staffDirectoryEntrySchema>;

export function parseStaffDirectoryEntry(doc: unknown): StaffDirectoryEntry | null {
  const r = staffDirectoryEntrySchema.safeParse(doc);
  return r.success ? r.data : null;
}

/** May this person be given an application to execute (an active executor of the office)? */
export function isActiveExecutor(entry: StaffDirectoryEntry | undefined, office: string): boolean {
  return entry !== undefined && entry.active && entry.office === office && entry.roles.includes('executor');
}
