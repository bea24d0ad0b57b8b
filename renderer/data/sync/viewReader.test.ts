import { describe, expect, it } from 'vitest';
import { appsReduce, type AppEventValue } from '@shared/couch';
import { bulkGetBodies, SCANS_PER_REQUEST, ViewReader, type IdRev, type ViewPage } from './viewReader';

type Row = { id: string; key: string; value: AppEventValue };

/** An application's rows as the view gives them: by key, then by document id. */
function rowsOf(app: string, n: number, extra: Partial<AppEventValue>[] = []): Row[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `evt:${app}:${String(i)}`,
    key: app,
    value: { h: `000${String(i)}:D1`, k: i === 0 ? 'registered' : 'step_done', r: `1-${app}${String(i)}`, ...extra[i] },
  }));
}

const body = (rows: Row[], total: number): ArrayBuffer =>
  new TextEncoder().encode(JSON.stringify({ total_rows: total, offset: 0, rows })).buffer;

/** The view read in pages of `pageRows` as readServerEvents asks for them (startkey, skip). */
function readPaged(all: Row[], pageRows: number, reader = new ViewReader()): ViewPage[] {
  const pages: ViewPage[] = [];
  let at = 0;
  for (;;) {
    const page = reader.page(body(all.slice(at, at + pageRows), all.length), pageRows);
    pages.push(page);
    if (!page.next) return pages;
    // The server's startkey + skip: the first row of that key, past the rows already read.
    at = all.findIndex((r) => r.key === page.next?.key) + page.next.skip;
  }
}

describe('the desks’ view read page by page', () => {
  const all = [
    ...rowsOf('APP1', 3, [{ g: 'N-1' }]),
    ...rowsOf('APP2', 5, [{ g: 'N-2' }, {}, { a: 120_000 }, { k: 'attachment_added' }, { c: ['2-x', '2-y'] }]),
    ...rowsOf('APP3', 1, [{ g: 'N-3' }]),
    ...rowsOf('APP4', 4),
  ];
  const whole = (app: string): AppEventValue[] => all.filter((r) => r.key === app).map((r) => r.value);

  it('tells each application once, whole, with the view’s own reduce, wherever the pages part its rows', () => {
    for (const pageRows of [1, 2, 3, 4, 7, 100]) {
      const reader = new ViewReader();
      const pages = readPaged(all, pageRows, reader);
      const told = pages.flatMap((p) => p.told);
      expect(told.map((a) => a.key)).toEqual(['APP1', 'APP2', 'APP3', 'APP4']);
      for (const a of told) expect(a.value).toEqual(appsReduce(null, whole(a.key), false));
      // Its revisions, conflicts included, each once, kept by the reader.
      expect(reader.revisionsOf(['APP2'], true).map((r) => r.rev)).toEqual([
        '1-APP20',
        '1-APP21',
        '1-APP22',
        '1-APP23',
        '1-APP24',
        '2-x',
        '2-y',
      ]);
      expect(reader.revisionsOf(null, true)).toHaveLength(all.length + 2);
      expect(told.find((a) => a.key === 'APP2')?.scans).toEqual(['evt:APP2:2', 'evt:APP2:3']);
      expect(pages.flatMap((p) => p.given)).toEqual(['N-1', 'N-2', 'N-3']);
      expect(pages[0]?.totalRows).toBe(all.length);
      expect(pages.at(-1)?.next).toBeNull();
    }
  });

  it('never tells an application before the page that holds its last row', () => {
    // Pages of 4: APP2's five rows end page 1 (one) and fill page 2 (four), which cannot know
    // whether they go on: told with page 3.
    const pages = readPaged(all, 4);
    expect(pages[0]?.told.map((a) => a.key)).toEqual(['APP1']);
    expect(pages[0]?.next).toEqual({ key: 'APP2', skip: 1 });
    expect(pages[1]?.told).toEqual([]);
    expect(pages[1]?.next).toEqual({ key: 'APP2', skip: 5 });
    expect(pages[2]?.told.map((a) => a.key)).toEqual(['APP2', 'APP3']);
  });

  it('counts a key the server’s paging repeats once', () => {
    const reader = new ViewReader();
    const first = reader.page(body(all.slice(0, 8), all.length), 8);
    expect(first.told.map((a) => a.key)).toEqual(['APP1']);
    // APP1's rows again at the head of the next page: not told twice, not counted into APP2.
    const again = reader.page(body([...all.slice(0, 3), ...all.slice(8)], all.length), 100);
    expect(again.told.map((a) => a.key)).toEqual(['APP2', 'APP3', 'APP4']);
    expect(again.told[0]?.value.n).toBe(5);
  });

  it('read by keys, tells nothing until its end', () => {
    const reader = new ViewReader();
    expect(reader.page(body(all.slice(0, 5), all.length)).told).toEqual([]);
    expect(reader.page(body(all.slice(5), all.length)).told).toEqual([]);
    expect(reader.end().told.map((a) => a.key)).toEqual(['APP1', 'APP2', 'APP3', 'APP4']);
  });

  it('makes each batch’s requests from the revisions it keeps, scans a few a request, and lets them go', () => {
    // APP5: ten events with a scan and two without.
    const scanned = rowsOf(
      'APP5',
      12,
      Array.from({ length: 10 }, () => ({ a: 50_000 })),
    );
    const reader = new ViewReader();
    readPaged([...all, ...scanned], 100, reader);
    const asked = (bodies: string[]): IdRev[][] => bodies.map((b) => (JSON.parse(b) as { docs: IdRev[] }).docs);

    const kept = reader.requests(['APP1', 'APP5'], true);
    expect(kept.asked).toBe(3 + 12);
    const requests = asked(kept.bodies);
    // The plain events (APP1's and APP5's last two) in one request, the scans SCANS_PER_REQUEST at most.
    expect(requests.map((r) => r.length)).toEqual([5, SCANS_PER_REQUEST, 10 - SCANS_PER_REQUEST]);
    expect(requests.flat()).toEqual(expect.arrayContaining(reader.revisionsOf(['APP1', 'APP5'], true)));
    expect(requests.flat()).toHaveLength(15);

    // Taken (not kept): gone from the reader, the others left.
    expect(reader.requests(['APP1', 'APP5']).asked).toBe(15);
    expect(reader.revisionsOf(['APP1', 'APP5'])).toEqual([]);
    expect(reader.requests(['APP1'])).toEqual({ bodies: [], asked: 0 });
    expect(reader.revisionsOf(['APP2'], true)).toHaveLength(7);
  });

  it('plans the history from the closed applications it told, newest first, scans bounding a batch, each once', () => {
    const row = (app: string, i: number, h: string, more: Partial<AppEventValue> = {}): Row => ({
      id: `evt:${app}:${String(i)}`,
      key: app,
      value: { h, k: 'step_done', r: `1-${app}${String(i)}`, ...more },
    });
    // In the view's order (by key). Closed: CL1 (latest 0005, a scan), CL2 (0009, a scan), CL3
    // (0007, withdrawn). OP1 is open: planned by the window as its page is read, never here.
    const rows = [
      row('CL1', 0, '0001:D1', { k: 'registered', a: 9_000 }),
      row('CL1', 1, '0005:D1', { k: 'issued' }),
      row('CL2', 0, '0002:D1', { k: 'registered' }),
      row('CL2', 1, '0003:D1', { k: 'attachment_added' }),
      row('CL2', 2, '0009:D1', { k: 'issued' }),
      row('CL3', 0, '0004:D1', { k: 'registered' }),
      row('CL3', 1, '0007:D1', { k: 'withdrawn' }),
      row('OP1', 0, '0008:D1', { k: 'registered' }),
    ];
    const reader = new ViewReader();
    readPaged(rows, 3, reader);
    // Of some applications only, kept for a later plan (a field laptop's scope widened).
    expect(reader.history(['CL1', 'OP1', 'NONE'], 100, true)).toEqual([{ appIds: ['CL1'], events: 2 }]);
    // About `size` events a batch, whole applications.
    expect(reader.history(null, 4, true)).toEqual([
      { appIds: ['CL2'], events: 3 },
      { appIds: ['CL3', 'CL1'], events: 4 },
    ]);
    // At most `maxScans` scans a batch.
    expect(reader.history(null, 100, false, 1)).toEqual([
      { appIds: ['CL2', 'CL3'], events: 5 },
      { appIds: ['CL1'], events: 2 },
    ]);
    // Planned once, not kept: let go.
    expect(reader.history(null, 100)).toEqual([]);
  });

  it('asks for a few scans and everything else in one request', () => {
    const wanted = [
      { id: 'e1', rev: '1-a' },
      { id: 'e2', rev: '1-b' },
    ];
    expect(bulkGetBodies(wanted, new Set(['e2']))).toEqual([JSON.stringify({ docs: wanted })]);
    expect(bulkGetBodies([], new Set())).toEqual([]);
  });
});
