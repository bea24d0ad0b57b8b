import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { replaceBulkGet } from './app';
import { answerBulkGet, WRITE_CHARS, parseBulkGet, type RouteDb } from './bulkGet';

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

  it("reads the database's security once per request, and every read checks against it", async () => {
    let securityReads = 0;
    const secObj = { members: { roles: ['office:ALM01'] } };
    const given: unknown[] = [];
    const db: RouteDb = {
      get: (id, opts) => {
        given.push(opts['secObj']);
        return Promise.resolve({ _id: id, _rev: '1-a' });
      },
      getAttachment: () => Promise.reject(new Error('no attachments here')),
      getSecurity: (opts) => {
        securityReads++;
        const roles = (opts['userCtx'] as { roles: string[] }).roles;
        return roles.includes('office:ALM01')
          ? Promise.resolve(secObj)
          : Promise.reject(Object.assign(new Error('You are not authorized'), { status: 401, name: 'unauthorized' }));
      },
    };
    const app = express();
    app.post('/db/_bulk_get', express.json(), (req, res) => {
      const roles = req.query['office'] === 'ALM01' ? ['office:ALM01'] : [];
      void answerBulkGet(req, res, db, { name: 'clerk', roles });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/db/_bulk_get`;
      const ask = (office: string): Promise<Response> =>
        fetch(`${url}?office=${office}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ docs: ['a', 'b', 'c'].map((id) => ({ id })) }),
        });
      const ok = await ask('ALM01');
      expect(((await ok.json()) as { results: unknown[] }).results).toHaveLength(3);
      expect(securityReads).toBe(1);
      expect(given).toEqual([secObj, secObj, secObj]);
      // Someone else's request is refused by that one read, before any document is read.
      const refused = await ask('AST02');
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error: 'unauthorized' });
      expect(securityReads).toBe(2);
      expect(given).toHaveLength(3);
    } finally {
      server.close();
    }
  });

  it('writes the answer in pieces of some 64 KB, not a write per document, scans included', async () => {
    const scan = Buffer.alloc(200_000, 7);
    const db: RouteDb = {
      get: (id) =>
        Promise.resolve(
          id === 'scan'
            ? { _id: id, _rev: '1-a', _attachments: { 'p.pdf': { content_type: 'application/pdf', stub: true } } }
            : { _id: id, _rev: '1-a', payload: 'x'.repeat(300) },
        ),
      getAttachment: () => Promise.resolve(scan),
    };
    const writes: number[] = [];
    const app = express();
    app.post('/db/_bulk_get', express.json(), (req, res) => {
      const write = res.write.bind(res) as (chunk: string) => boolean;
      res.write = ((chunk: string) => {
        writes.push(chunk.length);
        return write(chunk);
      }) as typeof res.write;
      void answerBulkGet(req, res, db, { name: 'clerk', roles: [] });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const ids = [...Array.from({ length: 1000 }, (_, i) => `e${i}`), 'scan', 'last'];
      const r = await fetch(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/db/_bulk_get?attachments=true`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ docs: ids.map((id) => ({ id })) }),
        },
      );
      const body = (await r.json()) as { results: { id: string; docs: { ok: Record<string, unknown> }[] }[] };
      expect(body.results.map((x) => x.id)).toEqual(ids);
      expect(body.results[0]?.docs[0]?.ok).toEqual({ _id: 'e0', _rev: '1-a', payload: 'x'.repeat(300) });
      const att = (body.results[1000]?.docs[0]?.ok['_attachments'] as Record<string, { data: string }>)['p.pdf'];
      expect(Buffer.from(att?.data ?? '', 'base64').equals(scan)).toBe(true);
      // 1,000 documents of some 340 characters and a scan of 267 KB in base64: a dozen writes, each
      // under the large-object size, where a write per document made over a thousand.
      expect(writes.length).toBeLessThan(20);
      expect(Math.max(...writes)).toBeLessThanOrEqual(WRITE_CHARS);
    } finally {
      server.close();
    }
  });

  it('a read failing once the answer has begun ends the connection and is told, not sent short', async () => {
    const failures: unknown[] = [];
    // Reads answer in order; the third fails as storage would (not a 404).
    const db: RouteDb = {
      get: (id) =>
        id === 'c'
          ? Promise.reject(Object.assign(new Error('disk'), { status: 500 }))
          : Promise.resolve({ _id: id, _rev: '1-a' }),
      getAttachment: () => Promise.reject(new Error('no attachments here')),
    };
    const app = express();
    app.post('/db/_bulk_get', express.json(), (req, res) => {
      void answerBulkGet(req, res, db, { name: 'clerk', roles: [] }, (e) => failures.push(e));
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/db/_bulk_get`;
      const ask = (ids: string[]): Promise<Response> =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ docs: ids.map((id) => ({ id })) }),
        });
      const whole = await ask(['a', 'b']);
      expect(await whole.json()).toEqual({
        results: [
          { id: 'a', docs: [{ ok: { _id: 'a', _rev: '1-a' } }] },
          { id: 'b', docs: [{ ok: { _id: 'b', _rev: '1-a' } }] },
        ],
      });
      // Whether the connection ends before or after the status line reaches it, the client fails.
      await expect(ask(['a', 'b', 'c', 'd']).then((r) => r.text())).rejects.toThrow();
      expect(failures).toHaveLength(1);
      expect(String(failures[0])).toMatch(/disk/);
      // The first read failing is answered with its status, before any byte of a result.
      const refused = await ask(['c']);
      expect(refused.status).toBe(500);
    } finally {
      server.close();
    }
  });
});
