import type { WorkCalendar } from '@shared/calendar';
import type { Catalogue } from '@shared/catalogue';
import { parseEvent, type Applicant, type EventDoc } from '@shared/events';
import { reportFact } from '@shared/reports';
import { fold, type ApplicationState } from '@shared/workflow';
import type { ProjectFn, StoredEvent } from './projector';
import { isVerified } from './verifiedEvents';
import type { ClearApplicant, ClearApplication, ClearJournal } from '../seal/sealedRows';

/** How an applicant is shown in lists: «Surname Name Patronymic» or the organisation's title. */
export function applicantDisplayName(a: Applicant): string {
  return a.kind === 'person' ? [a.surname, a.name, a.patronymic].filter(Boolean).join(' ') : a.title;
}

export const applicantKey = (a: Applicant): string => (a.kind === 'person' ? a.iin : a.bin);

/** The status a list shows: the engine's status, or the step kind while work is under way. */
function rowStatus(s: ApplicationState): string {
  return s.status;
}

/** The read model's view of one application: the workflow engine's fold, flattened for indexes. */
export function makeProjectFn(catalogue: Catalogue, calendar: WorkCalendar): ProjectFn {
  return (appId: string, stored: StoredEvent[], now: number) => {
    const events: EventDoc[] = [];
    for (const doc of stored) {
      const r = parseEvent(doc, { contentVerified: isVerified(doc) });
      if (r.ok) events.push(r.event);
    }
    const state = fold({
      appId,
      events,
      service: (id, version) => catalogue.get(id, version),
      calendar,
      now,
    });
    const reg = state.registered;
    if (!reg) return { application: null, applicant: null, journal: [], report: null };
    const p = reg.payload;
    const name = applicantDisplayName(p.applicant);
    const key = applicantKey(p.applicant);
    const at = state.registeredAt ?? Date.parse(reg.at);
    // In clear here; the projector seals it (sealedRows.ts) before anything is written.
    const application: ClearApplication = {
      appId,
      office: reg.office,
      regNumber: p.regNumber,
      serviceId: p.serviceId,
      serviceVersion: p.serviceVersion,
      variantId: p.variantId,
      channel: p.channel,
      status: rowStatus(state),
      stepId: state.step?.id ?? null,
      stepKind: state.step?.kind ?? null,
      role: state.role,
      assignee: state.assignee?.login ?? null,
      stepDueAt: state.stepDueAt,
      dueAt: state.dueAt,
      calendarMissingYear: state.calendarMissingYear,
      overdue: state.overdue || state.stepOverdue ? 1 : 0,
      atRisk: state.atRisk ? 1 : 0,
      applicantId: key,
      applicantName: name,
      // Numbers are searched through the journal's clear `numberKeys` (sealedRows.ts), not by words.
      searchText: [name, key, p.representative?.fullName],
      registeredAt: at,
      updatedAt: state.lastEventAt ?? at,
      eventCount: state.eventCount,
      outcome: state.outcome,
      closedAt: state.closedAt,
      superseded: state.superseded.length,
    };
    const applicant: ClearApplicant = {
      id: key,
      kind: p.applicant.kind,
      name,
      searchText: [name, key],
      lastAppId: appId,
      lastSeenAt: at,
      details: { ...p.applicant },
    };
    const journal: ClearJournal[] = [
      {
        id: reg._id,
        appId,
        journal: 'registration',
        at,
        regNumber: p.regNumber,
        number: p.regNumber,
        data: { kind: reg.kind, serviceId: p.serviceId, applicant: name, applicantKey: key, channel: p.channel },
      },
    ];
    // The outgoing correspondence journal: one row per letter under its outgoing number, the
    // registration number as the reference. The result's row shows how it was handed over.
    const issued = state.issued;
    const outgoing = (id: string, at: number, number: string | null, document: 'notice' | 'result'): ClearJournal => ({
      id,
      appId,
      journal: 'outgoing',
      at,
      regNumber: p.regNumber,
      number,
      data: {
        document,
        outcome: state.outcome,
        applicant: name,
        mode: document === 'result' ? (issued?.mode ?? null) : null,
        tracking: document === 'result' ? (issued?.tracking ?? null) : null,
      },
    });
    for (const l of state.letters) journal.push(outgoing(l.eventId, l.at, l.number, l.kind));
    // Issued before outgoing numbering existed (no number in the event): listed without one.
    if (issued && !state.letters.some((l) => l.kind === 'result')) {
      const e = events.find(
        (x) => x.kind === 'issued' && x.at === issued.at && !state.superseded.some((s) => s.eventId === x._id),
      );
      if (e) journal.push(outgoing(e._id, Date.parse(e.at), null, 'result'));
    }
    return { application, applicant, journal, report: reportFact(state, calendar) };
  };
}
