import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskViewsDocument, type AppEventValue, type AppSummary } from '../../shared/couch';
import { makeEvent, type ActorRef } from '../../shared/events';
import { loadEngines, type CouchEngine, type ViewResult } from '../support/couchEngines';

/**
 * The desks' view (shared/couch/deskViews.ts) as CouchDB evaluates it: its map and reduce source
 * text, run directly, in another realm (documents from this one) and in QuickJS, must give the same
 * rows and the same summaries, and never fail on a document of any shape.
 */
const doc = deskViewsDocument('engines');
const { map, reduce } = doc.views['apps'] ?? { map: '', reduce: '' };
const T0 = Date.UTC(2026, 2, 19, 5, 0);
const clerk: ActorRef = { login: 'aigerim', role: 'clerk' };
const head: ActorRef = { login: 'bolat', role: 'head' };

const registered = {
  ...makeEvent({
    kind: 'registered',
    appId: 'A1',
    office: 'ALM01',
    device: 'D01',
    clock: { wall: T0, counter: 0 },
    now: T0,
    actor: clerk,
    payload: {
      serviceId: 'test-permit',
      serviceVersion: '1',
      variantId: 'issue',
      channel: 'provider_office',
      applicant: { kind: 'legal_entity', bin: '940140000385', title: 'ТОО «Құрылыс»' },
      documents: [],
      regNumber: 'ALM01-D01-000001',
    },
  }),
  _rev: '1-aaa',
};
const resolution = {
  ...makeEvent({
    kind: 'resolution',
    appId: 'A1',
    office: 'ALM01',
    device: 'D02',
    clock: { wall: T0 + 60_000, counter: 0 },
    now: T0 + 60_000,
    actor: head,
    payload: { stepId: 's3', executor: 'dana', executorName: 'Дана' },
  }),
  _rev: '1-bbb',
  _conflicts: ['1-ccc'],
};

let engines: CouchEngine[];
beforeAll(async () => {
  engines = await loadEngines();
});
afterAll(() => {
  for (const e of engines) e.dispose();
});

const okOf = (r: ViewResult): unknown => {
  if ('engineError' in r) throw new Error(`the view failed in the engine: ${r.engineError}`);
  return r.ok;
};

describe('the desks’ view in every engine CouchDB may use', () => {
  it('maps an event to one row under its application: order, kind, step, service, number given, revisions', () => {
    for (const e of engines) {
      expect(okOf(e.map(map, registered)), e.name).toEqual([
        [
          'A1',
          {
            h: `${registered.hlc}:D01`,
            k: 'registered',
            r: '1-aaa',
            s: ['test-permit', '1', 'issue'],
            // The number it gave out, in every engine.
            g: 'ALM01-D01-000001',
          },
        ],
      ]);
      expect(okOf(e.map(map, resolution)), e.name).toEqual([
        ['A1', { h: `${resolution.hlc}:D02`, k: 'resolution', p: 's3', r: '1-bbb', c: ['1-ccc'] }],
      ]);
      // Not events: no row.
      for (const other of [
        { _id: 'staff:dana', _rev: '1-x', login: 'dana' },
        { _id: 'deskkey:ALM01:D01', _rev: '1-x' },
        { _id: '_design/kense', _rev: '1-x' },
        { _id: 'evt:no-app-id', _rev: '1-x' },
      ])
        expect(okOf(e.map(map, other)), e.name).toEqual([]);
    }
  });

  it('reduces to the latest event in the fold’s order, the registration’s service and the count, however grouped', () => {
    const values = [registered, resolution].map(
      (d) => (okOf(engines[0]!.map(map, d)) as [string, AppEventValue][])[0]![1],
    );
    const expected: AppSummary = {
      h: `${resolution.hlc}:D02`,
      k: 'resolution',
      p: 's3',
      s: ['test-permit', '1', 'issue'],
      n: 2,
    };
    for (const e of engines) {
      expect(
        okOf(
          e.reduce(
            reduce ?? '',
            [
              ['A1', 'x'],
              ['A1', 'y'],
            ],
            values,
            false,
          ),
        ),
        e.name,
      ).toEqual(expected);
      expect(okOf(e.reduce(reduce ?? '', null, [...values].reverse(), false)), e.name).toEqual(expected);
      // Reduced one by one, then together (CouchDB's b-tree reduces in any grouping).
      const parts = values.map((v) => okOf(e.reduce(reduce ?? '', null, [v], false)));
      expect(okOf(e.reduce(reduce ?? '', null, parts, true)), e.name).toEqual(expected);
      expect(okOf(e.reduce(reduce ?? '', null, [...parts].reverse(), true)), e.name).toEqual(expected);
    }
  });

  it('maps who an event concerns: its author and the executor it names, under [login, at]', () => {
    const people = doc.views['people']?.map ?? '';
    for (const e of engines) {
      expect(okOf(e.map(people, registered)), e.name).toEqual([[['aigerim', registered.at], 'A1']]);
      expect(okOf(e.map(people, resolution)), e.name).toEqual([
        [['bolat', resolution.at], 'A1'],
        [['dana', resolution.at], 'A1'],
      ]);
      for (const other of [
        { _id: 'staff:dana', login: 'dana' },
        { _id: 'evt:x', actor: 5, appId: 'A' },
      ])
        expect(okOf(e.map(people, other)), e.name).toEqual([]);
    }
  });

  it('never fails on a document of any shape, and every engine gives the same rows', () => {
    const anyDoc = fc.record(
      {
        _id: fc.oneof(fc.constant('evt:A9:000001741586400000-0000:D01'), fc.string(), fc.integer()),
        _rev: fc.string(),
        appId: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        kind: fc.oneof(fc.constantFrom('registered', 'issued', 'withdrawn'), fc.string(), fc.constant(null)),
        hlc: fc.oneof(fc.string(), fc.integer()),
        device: fc.string(),
        payload: fc.oneof(
          fc.constant(null),
          fc.string(),
          fc.array(fc.string()),
          fc.record({
            stepId: fc.oneof(fc.string(), fc.integer()),
            serviceId: fc.oneof(fc.string(), fc.integer()),
            executor: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
          }),
        ),
        actor: fc.oneof(fc.record({ login: fc.oneof(fc.string(), fc.integer()) }), fc.string(), fc.constant(null)),
        at: fc.oneof(fc.string(), fc.integer()),
        _conflicts: fc.array(fc.string(), { maxLength: 2 }),
      },
      { requiredKeys: ['_id'] },
    );
    fc.assert(
      fc.property(anyDoc, (d) => {
        for (const m of [map, doc.views['people']?.map ?? '']) {
          const byEngine = Object.fromEntries(engines.map((e) => [e.name, e.map(m, d)]));
          for (const r of Object.values(byEngine)) expect(r).not.toHaveProperty('engineError');
          expect(byEngine['realm']).toEqual(byEngine['direct']);
          expect(byEngine['quickjs']).toEqual(byEngine['direct']);
        }
      }),
      { numRuns: 300 },
    );
  });
});
