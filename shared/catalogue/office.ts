import { z } from 'zod';
import { officeHoursSchema, type OfficeHours } from '../calendar/hours';
import { channelSchema, regionSchema, textSchema, type Channel, type ServiceDefinition } from './schema';

/**
 * An office's profile (кеңсе профилі / профиль офиса): where it is, whom it acts for, how it takes
 * applications and when it is open. Reception offers exactly the services of the providers it acts
 * for, through the channels it serves; the ticket and the receipt print its name under the
 * provider's and its reception hours. A ЦОН's profile says `con` and Mon–Sat 9:00–20:00 with no
 * lunch (CON_HOURS); a district department's says `provider_office` and Mon–Fri with lunch.
 *
 * It is a catalogue document (`office:<CODE>`), written by catalogue administrators, not a desk
 * setting: every desk of the office reads the same one, offline too, and an office cannot widen
 * what it offers by itself.
 */
export const officeProfileSchema = z
  .object({
    /** The office code, as in `office_<code>` and registration numbers. */
    code: z.string().regex(/^[A-Z0-9]{2,16}$/, 'expected an office code'),
    names: textSchema,
    region: regionSchema,
    /** The providers it acts for, by `providerId`. */
    providers: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and hyphens'))
      .min(1),
    /** The intake channels it serves. */
    channels: z.array(channelSchema).min(1),
    /** Its reception hours. */
    hours: officeHoursSchema,
  })
  .strict();
export type OfficeProfile = z.infer<typeof officeProfileSchema>;

/**
 * The service as this office offers it: only if one of its providers gives it, with only the
 * variants it can take through a channel it serves, and those channels only. Null when the office
 * does not offer it at all. Ids and version are untouched: the application is registered under the
 * full definition, which the engine looks up by id and version.
 */
export function offeredService(profile: OfficeProfile, service: ServiceDefinition): ServiceDefinition | null {
  if (!profile.providers.includes(service.providerId)) return null;
  const served = (channels: readonly Channel[]): Channel[] => channels.filter((c) => profile.channels.includes(c));
  const variants = service.variants.flatMap((v) => {
    const channels = served(v.channels);
    return channels.length > 0 ? [{ ...v, channels }] : [];
  });
  const [first, ...rest] = variants;
  if (!first) return null;
  return { ...service, channels: served(service.channels), variants: [first, ...rest] };
}

export type { OfficeHours };
