// The bundled catalogue: every service definition shipped with the app (validated at load), the
// first-run seed of every desk and of central's `catalog` database (docs.ts). A shipped version
// never changes (its seed revision is derived from its content): a correction is a new version,
// in its own file (`<id>-<version>.json`).
import s0 from './almaty-active-employment-referral.json';
import s1 from './almaty-asp-membership-certificate.json';
import s2 from './almaty-child-allowance.json';
import s3 from './almaty-disabled-assistant-sign-language.json';
import s4 from './almaty-disabled-children-home-schooling.json';
import s5 from './almaty-disabled-prosthetic.json';
import s6 from './almaty-disabled-sanatorium.json';
import s7 from './almaty-disabled-surdo-tiflo-hygiene.json';
import s8 from './almaty-disabled-wheelchair.json';
import s9 from './almaty-semipalatinsk-victims.json';
import s10 from './almaty-social-assistance-maslikhat.json';
import s11 from './almaty-ssu-home-care.json';
import s11b from './almaty-ssu-home-care-1.1.json';
import s12 from './almaty-ssu-medico-social-institution.json';
import s13 from './almaty-targeted-social-assistance.json';
import s14 from './almaty-unemployed-certificate.json';
import s15 from './almaty-unemployed-registration.json';
import s16 from './fl-permit-almaty.json';
import s16b from './fl-permit-almaty-1.1.json';
import s16c from './fl-permit-almaty-1.2.json';
import s17 from './fl-permit-kyzylorda.json';
import s18 from './fl-permit-sko.json';
import s19 from './fl-permit-wko.json';
import s20 from './labour-immigrant-permit-mvd.json';

export const BUNDLED_SERVICES: readonly unknown[] = [
  s0,
  s1,
  s2,
  s3,
  s4,
  s5,
  s6,
  s7,
  s8,
  s9,
  s10,
  s11,
  s11b,
  s12,
  s13,
  s14,
  s15,
  s16,
  s16b,
  s16c,
  s17,
  s18,
  s19,
  s20,
];
