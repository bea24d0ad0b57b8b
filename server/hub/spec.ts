/**
 * What the process that starts the hub (officeHub.ts) hands to the hub's process (main.ts): the
 * office, central and the accounts, in one environment variable (never on the command line, which
 * every user of the computer can list), read and removed by the hub at start.
 */
import { z } from 'zod';

export const HUB_SPEC_ENV = 'KENSE_HUB_SPEC';

const login = z.object({ user: z.string().min(1), password: z.string() }).strict();

export const hubSpecSchema = z
  .object({
    office: z.string().regex(/^[A-Z0-9]{2,16}$/),
    /** The hub server's own admin (a new random password at each start, unless a test gives one). */
    admin: login,
    /** Central, and the office's hub account there (server/provision.ts putHubUser). */
    central: login.extend({ url: z.string().min(1) }).strict(),
    /**
     * The Kense central service (server/central), from which the office's staff accounts are copied
     * to the hub, asked as the hub account above (none: no copy; staff accounts are then created on
     * the hub itself).
     */
    service: z
      .object({ url: z.string().min(1) })
      .strict()
      .optional(),
    staffRefreshMs: z.number().int().positive().optional(),
    maxBackoffMs: z.number().int().positive().optional(),
    /** How often the hub checks whether its desks' view needs building (warmer.ts). */
    viewWarmMs: z.number().int().positive().optional(),
    /** Replication batch size with central (PouchDB's default: 100). */
    batchSize: z.number().int().positive().optional(),
    /** The validation rules (default: the workflow's, server/rules.ts); tests give smaller ones. */
    rules: z.object({ kinds: z.record(z.string(), z.array(z.string())) }).optional(),
    version: z.string().optional(),
    /** Also print the log on stderr (headless runs). */
    echo: z.boolean().optional(),
  })
  .strict();
export type HubSpec = z.infer<typeof hubSpecSchema>;

export function parseHubSpec(raw: string | undefined): HubSpec {
  if (!raw) throw new Error(`${HUB_SPEC_ENV} is not set: start the hub through officeHub.ts (npm run hub)`);
  return hubSpecSchema.parse(JSON.parse(raw));
}
