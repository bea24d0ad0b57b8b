import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_ROLE, officeDesignDocument, officeSecurity, validationRulesFromKinds } from '../../shared/couch';
import { contentDigest, KIND_ROLES, makeEvent, type ActorRef } from '../../shared/events';
import { linkEvent } from '../../shared/audit';
import { loadEngines, verdicts, type CouchEngine, type Verdict } from '../support/couchEngines';

/**
 * Issue 12, deliverable 1: mutated documents thrown at the deployed validator, evaluated directly,
 * in another realm and in QuickJS. Every engine must give the same verdict, and none may accept a
 * forgery: other content under an existing event's or escrow's id, or a directory entry from
 * anyone but a server admin.
 */
const RUNS = 1200;
const source = officeDesignDocument(validationRulesFromKinds(KIND_ROLES), 'fuzz').validate_doc_update;
const T0 = Date.UTC(2026, 2, 19, 5, 0);

const actors: Record<string, ActorRef> = {
  clerk: { login: 'aigerim', role: 'clerk' },
  head: { login: 'bolat', role: 'head' },
  executor: { login: 'dana', role: 'executor' },
};
const base = { appId: 'A1B2', office: 'ALM01', device: 'D01', now: T0 };
const raw = (d: object): Record<string, unknown> => d as Record<string, unknown>;
const signedEvent = makeEvent({
  ...base,
  kind: 'signed',
  clock: { wall: T0, counter: 0 },
  actor: actors['head']!,
  payload: { stepId: 's5' },
});
const registeredEvent = makeEvent({
  ...base,
  kind: 'registered',
  clock: { wall: T0, counter: 1 },
  actor: actors['clerk']!,
  payload: {
    serviceId: 'x',
    serviceVersion: '1',
    variantId: 'v',
    channel: 'provider_office',
    regNumber: 'ALM01-D01-000001',
    applicant: { kind: 'person', iin: '900101300017', surname: 'Әбенова', name: 'Айгерім' },
    documents: [{ id: 'd1', received: true }],
  },
});
const resolutionEvent = makeEvent({
  ...base,
  kind: 'resolution',
  clock: { wall: T0, counter: 2 },
  actor: actors['head']!,
  payload: { stepId: 's2', executor: 'dana', executorName: 'Дана' },
});
const originals: Record<string, unknown>[] = [
  raw(signedEvent),
  linkEvent(raw(registeredEvent), { seq: 3, hash: 'a'.repeat(64), eventId: 'x' }).doc,
  raw(resolutionEvent),
  (() => {
    const escrow = {
      type: 'desk_key',
      v: 1,
      office: 'ALM01',
      desk: 'D01',
      secret: 'Q'.repeat(43),
      by: 'aigerim',
      at: '2026-03-19T05:00:00.000Z',
    };
    return { _id: `deskkey:D01:${contentDigest(escrow)}`, ...escrow };
  })(),
  {
    _id: 'staff:dana',
    type: 'staff',
    v: 1,
    office: 'ALM01',
    login: 'dana',
    fullName: 'Дана',
    roles: ['executor'],
    active: true,
    updatedAt: '2026-03-19T05:00:00.000Z',
  },
];
const users = [
  { db: 'office_alm01', name: 'aigerim', roles: ['clerk', 'office:ALM01'] },
  { db: 'office_alm01', name: 'bolat', roles: ['head', 'office:ALM01'] },
  { db: 'office_alm01', name: 'dana', roles: ['executor', 'office:ALM01'] },
  { db: 'office_alm01', name: 'gulnar', roles: ['office_admin', 'office:ALM01'] },
  { db: 'office_alm01', name: 'hub-alm01', roles: [HUB_ROLE, 'office:ALM01'] },
  { db: 'office_alm01', name: 'x', roles: ['clerk', 'office:KZO01'] },
  { db: 'office_alm01', name: null, roles: ['_admin'] },
];

type Json = unknown;
/** One change to a document: a member set, removed or added, at the top or one level down. */
const mutation = fc.record({
  path: fc.oneof(
    fc.constantFrom(
      'kind',
      'actor',
      'payload',
      'chain',
      'at',
      'hlc',
      'appId',
      'office',
      'type',
      'v',
      'secret',
      'by',
      'roles',
      'active',
      'login',
    ),
    fc.constantFrom('actor.login', 'actor.role', 'payload.stepId', 'payload.note', 'chain.seq', 'chain.prev'),
    fc.string({ maxLength: 6 }),
  ),
  value: fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom('head', 'clerk', 'bolat', 'aigerim', 'registered', 'ALM01', 1, 2, true, null, '\ud800', 'é'),
    fc.constant(undefined),
  ),
});

function mutate(doc: Record<string, unknown>, path: string, value: Json): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  const [top, inner] = path.split('.') as [string, string | undefined];
  if (inner === undefined) {
    if (value === undefined) delete copy[top];
    else copy[top] = value;
    return copy;
  }
  const holder = copy[top];
  if (holder === null || typeof holder !== 'object' || Array.isArray(holder)) copy[top] = {};
  const obj = copy[top] as Record<string, unknown>;
  if (value === undefined) delete obj[inner];
  else obj[inner] = value;
  return copy;
}

const accepted = (v: Verdict): boolean => 'ok' in v;

let engines: CouchEngine[] = [];
beforeAll(async () => {
  engines = await loadEngines();
});
afterAll(() => engines.forEach((e) => e.dispose()));

describe('fuzz: the deployed office validator in every engine', () => {
  it(`gives the same verdict in all modes on ${RUNS} mutated documents, and accepts no forgery`, () => {
    let forgeries = 0;
    let acceptedCount = 0;
    fc.assert(
      fc.property(
        fc.nat({ max: originals.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.nat({ max: users.length - 1 }),
        fc.boolean(),
        (which, changes, who, newBranch) => {
          const original = originals[which]!;
          let doc = original;
          for (const c of changes) doc = mutate(doc, c.path, c.value);
          doc['_id'] = original['_id'];
          if (newBranch) doc['_revisions'] = { start: 1, ids: ['f'.repeat(32)] };
          const user = users[who]!;
          const all = verdicts(engines, source, doc, null, user, officeSecurity('ALM01'));
          // The same verdict everywhere, and never an engine error.
          expect(all.realm, JSON.stringify(doc)).toEqual(all.direct);
          expect(all.quickjs, JSON.stringify(doc)).toEqual(all.direct);
          expect(all.direct).not.toHaveProperty('engineError');
          if (!accepted(all.direct)) return;
          acceptedCount++;
          const id = String(original['_id']);
          const isStaff = id.startsWith('staff:');
          let changed = true;
          try {
            changed = contentDigest(doc) !== contentDigest(original);
          } catch {
            changed = true;
          }
          if (isStaff ? !user.roles.includes('_admin') : changed) forgeries++;
        },
      ),
      { numRuns: RUNS },
    );
    expect(forgeries).toBe(0);
    // The fuzz reached acceptance too (unchanged content by its author, or a server admin's entry).
    expect(acceptedCount).toBeGreaterThan(0);
  });

  it('agrees on the original documents, by every user', () => {
    for (const doc of originals)
      for (const user of users) {
        const all = verdicts(engines, source, doc, null, user, officeSecurity('ALM01'));
        expect(all.realm).toEqual(all.direct);
        expect(all.quickjs).toEqual(all.direct);
      }
  });
});
