import type { PayloadOf } from '@shared/events';
import { testPermitService } from '../../fixtures/testService';

/** Shared by the lab page (in Chromium) and the tests (in Node): plain data and pure functions only. */

export const APPLICANTS: PayloadOf<'registered'>['applicant'][] = [
  { kind: 'legal_entity', bin: '940140000385', title: 'ТОО «Құрылыс»' },
  { kind: 'legal_entity', bin: '050540004455', title: 'ТОО «Дала»' },
  { kind: 'legal_entity', bin: '110340012345', title: 'ИП «Арман»' },
];

export function intake(
  channel: 'provider_office' | 'con',
  applicant: number,
): Omit<PayloadOf<'registered'>, 'regNumber'> {
  return {
    serviceId: testPermitService.id,
    serviceVersion: testPermitService.version,
    variantId: 'issue',
    channel,
    applicant: APPLICANTS[applicant % APPLICANTS.length] ?? { kind: 'legal_entity', bin: '940140000385', title: 'ТОО' },
    documents: [{ id: 'application', received: true }],
  };
}

/** A tiny seeded PRNG (mulberry32): every random choice of a test is reproducible from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
