import { describe, expect, it } from 'vitest';
import { classifySyncError, pushEvents, pushScans } from './sync';

describe('classifySyncError', () => {
  it('turns server and network failures into translatable codes', () => {
    expect(classifySyncError({ status: 401 })).toBe('sync.unauthorized');
    expect(classifySyncError({ status: 403 })).toBe('sync.forbidden');
    expect(classifySyncError({ name: 'QuotaExceededError' })).toBe('sync.storageFull');
    expect(classifySyncError({ status: 500 })).toBe('sync.serverError');
    expect(classifySyncError({ status: 507 })).toBe('sync.serverError');
    for (const status of [502, 503, 504]) expect(classifySyncError({ status })).toBe('sync.unreachable');
    expect(classifySyncError(new TypeError('Failed to fetch'))).toBe('sync.unreachable');
    expect(classifySyncError({ status: 0 })).toBe('sync.unreachable');
    expect(classifySyncError({ status: 409 })).toBe('sync.failed');
    expect(classifySyncError(undefined)).toBe('sync.unreachable');
  });
});

describe('the push filters', () => {
  const registered = { _id: 'evt:A1:1:D01', kind: 'registered', actor: { login: 'aigerim' } };
  const scan = {
    _id: 'evt:A1:2:D01',
    kind: 'attachment_added',
    actor: { login: 'aigerim' },
    _attachments: { 'scan.jpg': { stub: true } },
  };
  const design = { _id: '_design/kense' };
  // The staff directory, written by the server admin: pulled, never the desk's to send back.
  const staff = { _id: 'staff:aigerim' };
  // PouchDB's filterChange hands a filter `{ query: opts.query_params }`: undefined without them.
  // A filter that throws is taken as "send it", so the scans' filter once pushed every event.
  const noParams = { query: undefined };

  it('without an author (the hub, an administrator): every event but scans, then the scans', () => {
    expect([registered, scan, design, staff].filter((d) => pushEvents(d, noParams)).map((d) => d._id)).toEqual([
      registered._id,
    ]);
    expect([registered, scan, design, staff].filter((d) => pushScans(d, noParams)).map((d) => d._id)).toEqual([
      scan._id,
    ]);
  });

  it("with an author: that person's events only, scans apart", () => {
    const aigerim = { query: { author: 'aigerim' } };
    expect([registered, scan, design].filter((d) => pushEvents(d, aigerim)).map((d) => d._id)).toEqual([
      registered._id,
    ]);
    expect([registered, scan, design].filter((d) => pushScans(d, aigerim)).map((d) => d._id)).toEqual([scan._id]);
    expect([registered, scan].filter((d) => pushScans(d, { query: { author: 'bolat' } }))).toEqual([]);
  });

  it('keep fixed names, so that a new build keeps its replication checkpoints', () => {
    expect(String(pushEvents)).toBe('kense:push-events:1');
    expect(String(pushScans)).toBe('kense:push-scans:1');
  });
});
