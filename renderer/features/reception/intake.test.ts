import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from '@shared/calendar';
import { testPermitService as service } from '../../../tests/fixtures/testService';
import {
  buildRefusal,
  buildRegistration,
  consentDocument,
  emptyDraft,
  missingDocuments,
  resultDue,
  resultDueAt,
  type ReceptionDraft,
} from './intake';

const kz = (y: number, m: number, d: number, h = 0): number => Date.UTC(y, m - 1, d, h - 5);

const filled = (change: Partial<ReceptionDraft> = {}): ReceptionDraft => ({
  ...emptyDraft(),
  idInput: '940140000385',
  entity: { title: 'ТОО «Құрылыс»', head: '', address: '', phone: '' },
  serviceId: service.id,
  variantId: 'issue',
  channel: 'provider_office',
  documents: { application: { received: true, original: false } },
  ...change,
});

describe('reception form → events', () => {
  it('a complete package becomes a registration payload', () => {
    const r = buildRegistration(filled(), service);
    expect(r).toEqual({
      ok: true,
      payload: expect.objectContaining({
        serviceId: 'test-permit',
        variantId: 'issue',
        channel: 'provider_office',
        applicant: { kind: 'legal_entity', bin: '940140000385', title: 'ТОО «Құрылыс»' },
        documents: [{ id: 'application', received: true, original: false }],
      }) as unknown,
    });
  });

  it('an incomplete package is not registered: it says what is missing, for a refusal instead', () => {
    const draft = filled({ documents: {} });
    expect(missingDocuments(draft, service)).toEqual(['application']);
    const r = buildRegistration(draft, service);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.code)).toContain('reception:errors.documentsMissing');
    const refusal = buildRefusal(draft, service);
    expect(refusal.ok && refusal.payload.missing).toEqual(['application']);
    // Nothing missing: no grounds for refusing an incomplete package.
    const none = buildRefusal(filled(), service);
    expect(none.ok).toBe(false);
  });

  it('an invalid IIN/BIN, a missing name and a bad representative are named field by field', () => {
    const r = buildRegistration(
      filled({
        idInput: '900101300018',
        hasRepresentative: true,
        representative: { iin: '123', fullName: '', poaNumber: '', poaDate: '2026-1' },
      }),
      service,
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors).toEqual(
        expect.arrayContaining([
          { field: 'idInput', code: 'identity:errors.id.checksum' },
          { field: 'representative.iin', code: 'identity:errors.id.length' },
          { field: 'representative.fullName', code: 'reception:errors.required' },
          { field: 'representative.poaNumber', code: 'reception:errors.required' },
          { field: 'representative.poaDate', code: 'reception:errors.date' },
        ]),
      );
    const person = buildRegistration(filled({ idInput: '900101300017' }), service);
    expect(person.ok).toBe(false);
    if (!person.ok)
      expect(person.errors.map((e) => e.code)).toEqual(
        expect.arrayContaining(['reception:errors.required', 'reception:errors.notForPersons']),
      );
  });

  it('a channel the variant does not take is refused', () => {
    const r = buildRegistration(filled({ channel: 'portal' }), service);
    expect(!r.ok && r.errors.map((e) => e.field)).toContain('channel');
  });

  it('shows the result date before registering: 10 working days across Nauryz 2026', () => {
    const variant = service.variants[0];
    if (!variant) throw new Error('fixture');
    // Thu 19 March 2026: 20, 26, 27, 30, 31 Mar, 1, 2, 3, 6, 7 Apr.
    expect(resultDueAt(service, variant, DEFAULT_CALENDAR, kz(2026, 3, 19, 10))).toBe(kz(2026, 4, 7, 18));
  });

  it('a result date in a year with no published calendar is none, and says which year (no throw)', () => {
    const variant = service.variants[0];
    if (!variant) throw new Error('fixture');
    // Mon 20 December 2027 + 10 working days reaches into January 2028; the seed ends with 2027.
    expect(resultDue(service, variant, DEFAULT_CALENDAR, kz(2027, 12, 20, 10))).toEqual({
      at: null,
      calendarMissingYear: 2028,
    });
    expect(resultDueAt(service, variant, DEFAULT_CALENDAR, kz(2027, 12, 20, 10))).toBeNull();
  });

  it('asks for consent once: where the checklist has a written-consent document, that document is the consent', () => {
    const withConsentDoc = {
      ...service,
      consentRequired: true,
      documents: {
        ...service.documents,
        items: [...service.documents.items, { id: 'consent', name: { kk: 'Келісім', ru: 'Согласие' } }],
      },
    };
    const received = { received: true, original: false };
    // The checkbox is not asked for: the document received is the consent.
    const r = buildRegistration(
      filled({ consent: false, documents: { application: received, consent: received } }),
      withConsentDoc,
    );
    expect(r.ok && r.payload.consent).toBe(true);
    const missing = buildRegistration(filled({ consent: true }), withConsentDoc);
    expect(missing.ok).toBe(false);
    expect(consentDocument(withConsentDoc)).toBe(true);
    // Without such a document, the checkbox is the consent.
    const checkbox = { ...service, consentRequired: true };
    expect(consentDocument(checkbox)).toBe(false);
    expect(buildRegistration(filled({ consent: false }), checkbox).ok).toBe(false);
    expect(buildRegistration(filled({ consent: true }), checkbox).ok).toBe(true);
  });
});
