import express from 'express';
import { describe, expect, it } from 'vitest';
import { replaceBulkGet } from './app';
import { parseBulkGet } from './bulkGet';

describe("the hub's _bulk_get", () => {
  it('takes the place of express-pouchdb’s handler, after its body parser, or the hub does not start', () => {
    const parser = (_req: unknown, _res: unknown, next: () => void): void => next();
    const theirs = (): void => undefined;
    const app = express();
    app.post('/:db/_bulk_get', parser, theirs);
    replaceBulkGet(app);
    const stack = (app as unknown as { _router: { stack: { route?: { stack: { handle: unknown }[] } }[] } })._router
      .stack;
    const handles = stack.find((l) => l.route)?.route?.stack.map((l) => l.handle);
    expect(handles?.[0]).toBe(parser);
    expect(handles?.[1]).not.toBe(theirs);
    expect(() => replaceBulkGet(express())).toThrow(/_bulk_get was not found/);
  });

  it('reads the request as CouchDB 3 does: ids with optional revisions, options in the query or the body', () => {
    expect(parseBulkGet({ docs: [{ id: 'a' }, { id: 'b', rev: '1-x' }] }, { revs: true, attachments: 'true' })).toEqual(
      {
        wanted: [{ id: 'a' }, { id: 'b', rev: '1-x' }],
        revs: true,
        attachments: true,
        latest: false,
      },
    );
    expect(parseBulkGet({ docs: [], latest: true }, {})).toMatchObject({ latest: true, revs: false });
    expect(parseBulkGet([], {})).toEqual({ reason: 'Request body must be a JSON object' });
    expect(parseBulkGet({}, {})).toEqual({ reason: "Missing JSON list of 'docs'" });
    const reason = (x: ReturnType<typeof parseBulkGet>): string => ('reason' in x ? x.reason : '');
    expect(reason(parseBulkGet({ docs: [{ rev: '1-a' }] }, {}))).toMatch(/`id`/);
    expect(reason(parseBulkGet({ docs: [{ id: 'a', rev: 1 }] }, {}))).toMatch(/`rev`/);
  });
});
