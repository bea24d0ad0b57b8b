import type { WorkCalendar } from '@shared/calendar';
import type { Catalogue } from '@shared/catalogue';
import { parseEvent, type Applicant, type EventDoc } from '@shared/events';
import { foldForSearch } from '@shared/text/searchFold';
import { fold, type ApplicationState } from '@shared/workflow';
import type { ProjectFn, StoredEvent } from './projector';
import type { ApplicantRow, ApplicationRow, JournalRow } from './readModel';

/** How an applicant is shown in lists: «Surname Name Patronymic» or the organisation's title. */
export function applicantDisplayName(a: Applicant): string {
  return a.kind === 'person' ? [a.surname, a.name, a.patronymic].filter(Boolean).join(' ') : a.title;
}

export const applicantKey = (a: Applicant): string => (a.kind === 'person' ? a.iin : a.bin);

function words(...parts: (string | null | undefined)[]): string[] {
  const out = new Set<string>();
  for (const p of parts) {
    if (!p) continue;
    for (const w of foldForSearch(p).split(/[\s,.;:()"«»]+/)) if (w) out.add(w);
  }
  return [...out];
}

/** The status a list shows: the engine's status, or the step kind while work is under way. */
function rowStatus(s: ApplicationState): string {
  return s.status;
}

/** The read model's view of one application: the workflow engine's fold, flattened for indexes. */
export function makeProjectFn(catalogue: Catalogue, calendar: WorkCalendar): ProjectFn {
  return (appId: string, stored: StoredEvent[], now: number) => {
    const events: EventDoc[] = [];
    for (const doc of stored) {
      const r = parseEvent(doc);
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
    if (!reg) return { application: null, applicant: null, journal: [] };
    const p = reg.payload;
    const name = applicantDisplayName(p.applicant);
    const key = applicantKey(p.applicant);
    const at = state.registeredAt ?? Date.parse(reg.at);
    const application: ApplicationRow = {
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
      overdue: state.overdue || state.stepOverdue ? 1 : 0,
      atRisk: state.atRisk ? 1 : 0,
      applicantKey: key,
      applicantName: name,
      searchWords: words(p.regNumber, name, key, p.representative?.fullName),
      registeredAt: at,
      updatedAt: state.lastEventAt ?? at,
      eventCount: state.eventCount,
      outcome: state.outcome,
      closedAt: state.closedAt,
      superseded: state.superseded.length,
    };
    const applicant: ApplicantRow = {
      key,
      kind: p.applicant.kind,
      name,
      searchWords: words(name, key),
      lastAppId: appId,
      lastSeenAt: at,
      details: { ...p.applicant },
    };
    const journal: JournalRow[] = [
      {
        id: reg._id,
        appId,
        journal: 'registration',
        at,
        regNumber: p.regNumber,
        data: { kind: reg.kind, serviceId: p.serviceId, applicant: name, applicantKey: key, channel: p.channel },
      },
    ];
    for (const e of events) {
      if (e.kind !== 'issued' || state.superseded.some((x) => x.eventId === e._id)) continue;
      journal.push({
        id: e._id,
        appId,
        journal: 'outgoing',
        at: Date.parse(e.at),
        regNumber: p.regNumber,
        data: { mode: e.payload.mode, outcome: state.outcome, applicant: name, tracking: e.payload.tracking ?? null },
      });
    }
    return { application, applicant, journal };
  };
}
