/**
 * The browser side of the reliability lab: bundled by `harness.ts` and loaded into a real Chromium,
 * where it runs the desk's own data layer (Desk, the office database on IndexedDB, the projector
 * and its Dexie read model, startSync) and exposes it to the Node test as `window.lab`.
 *
 * With `?mode=crash` the page is instead an autonomous writer that reports every acknowledged
 * event to the harness until the browser is killed; `?mode=verify` reopens the desk and reports
 * what survived.
 */
import { checkChains, type Finding, type RawDoc } from '@shared/audit';
import { loadCatalogue } from '@shared/catalogue';
import { officeDbName } from '@shared/couch';
import {
  makeEvent,
  type ActorRef,
  type EventDoc,
  type EventKind,
  type PayloadOf,
  type StaffRole,
} from '@shared/events';
import { allowedActions, isFinal, type AllowedAction } from '@shared/workflow';
import { ownHeads } from '../../../renderer/data/read/auditChain';
import { Desk } from '../../../renderer/data/desk';
import { DEVICE_DOC_ID, openOfficeDb, type DeviceDoc, type OfficeDb } from '../../../renderer/data/store/officeDb';
import { PouchDB } from '../../../renderer/data/store/pouch';
import { deskKeysFromRaw } from '../../../renderer/data/seal/deskKeys';
import { openedModelDump, type OpenedModelDump } from '../../../renderer/data/seal/sealedRows';
import { openRemote, startSync, type SyncHandle, type SyncSnapshot } from '../../../renderer/data/sync/sync';
import type { Line } from '../../../renderer/data/sync/syncLine';
import { staffEntry, seedStaffDirectory } from '../../fixtures/staffDirectory';
import { testPermitService } from '../../fixtures/testService';
import { intake, prng } from './common';

export const catalogue = loadCatalogue([testPermitService]);

/** What a desk's UI would offer on one application now. */
export interface Options {
  status: string;
  final: boolean;
  stepId: string | null;
  role: StaffRole | null;
  /** Allowed actions for the role the step wants, and for the head and the clerk (reassign, return, withdraw). */
  actions: { role: StaffRole; action: AllowedAction }[];
  /** Where a `returned` action sends the work: the latest executor step done. */
  reworkTarget: string | null;
}

export type Settled<T> = { ok: true; value: T } | { ok: false; name: string; code: string | null; message: string };

/** Opened: sealed blobs differ from desk to desk by their random IVs, their contents must not. */
export type ModelDump = OpenedModelDump;

/** One office's desks share one key here, so that their blind-index tokens compare equal. */
const labKeys = deskKeysFromRaw(new Uint8Array(32).fill(42));

/** The executors the lab's scenarios assign: the office's directory, as central would have sent it. */
const LAB_STAFF = ['exec1', 'dana', 'aigerim', 'd01', 'd02'].map((login) => staffEntry(login, `Исполнитель ${login}`));

/** A desk of the lab, with the office's staff directory in place (a desk refuses unknown executors). */
async function openLabDesk(config: Parameters<typeof Desk.open>[0]): Promise<Desk> {
  const d = await Desk.open(config, catalogue);
  await seedStaffDirectory(d.office.db, LAB_STAFF);
  await d.settled();
  return d;
}

export interface VerifyReport {
  ids: string[];
  /** regNumber of every registered/intake_refused event, by event id. */
  regNumbers: Record<string, string>;
  device: DeviceDoc;
  rows: { appId: string; eventCount: number; regNumber: string | null; superseded: number }[];
  /** Events per application, counted in the office database. */
  eventsPerApp: Record<string, number>;
  after: string[];
  /** The audit chain checked after the verifier's own appends: no fork, gap or mismatch across the crashes. */
  audit: { ok: boolean; findings: Finding[]; chained: number; lastSeq: number };
}

async function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    const err = e as { name?: unknown; code?: unknown; message?: unknown };
    return {
      ok: false,
      name: typeof err.name === 'string' ? err.name : 'unknown',
      code: typeof err.code === 'string' ? err.code : null,
      message: typeof err.message === 'string' ? err.message : String(e),
    };
  }
}

let desk: Desk | null = null;
let login = 'clerk1';
const syncs = new Map<string, SyncHandle>();
const snapshots = new Map<string, SyncSnapshot>();
const lines = new Map<string, Line>();
/** The line of each running sync that has one (stopSync waits for its requests). */
const syncLines = new Map<string, Line>();
/** The link lab's sync, as the indicator would have shown it, for the bench's timeline. */
const syncTrail: { at: number; what: string }[] = [];
const history: { at: number; state: string; pending: number | null }[] = [];

function current(): Desk {
  if (!desk) throw new Error('no desk open');
  return desk;
}

function actor(role: StaffRole): ActorRef {
  return { login, role };
}

function reworkTarget(state: Awaited<ReturnType<Desk['state']>>): string | null {
  const steps = state.variant?.steps ?? [];
  for (let i = state.history.length - 1; i >= 0; i--) {
    const h = state.history[i];
    const s = h && steps.find((x) => x.id === h.stepId);
    if (s && s.actor === 'executor' && h.outcome !== 'auto') return s.id;
  }
  return null;
}

async function eventIds(db: PouchDB.Database): Promise<string[]> {
  const r = await db.allDocs({ startkey: 'evt:', endkey: 'evt:\ufff0' });
  return r.rows.map((row) => row.id);
}

/** What staff write in an event's note, for the link lab's day of work (varied, as real notes are). */
const REGISTERED_NOTES = [
  'Өтініш қабылданды, құжаттар толық тапсырылды, өтініш берушіге қолхат берілді.',
  'Құжаттар толық, анықтаманың түпнұсқасы көшірмесімен салыстырылды.',
  'Өтініш беруші сенімхат бойынша өкіл арқылы жүгінді, сенімхат тексерілді.',
  'Мекенжай анықтамасы электрондық үкімет порталы арқылы алынды.',
  'Өтініш берушіге нәтижені алу күні мен тәртібі түсіндірілді.',
];
const RESOLUTION_NOTES = [
  'Қарап, белгіленген мерзімде орындауды сұраймын.',
  'Ауданның жер қатынастары бөлімімен келісіп, жауап дайындаңыз.',
  'Мұрағат анықтамасын сұратып, нәтижесін маған баяндаңыз.',
  'Бұрынғы өтініштерімен салыстырып, шешім жобасын ұсыныңыз.',
];
const STEP_NOTES = [
  'Құжаттар тексерілді, ақпараттық жүйелерден алынған мәліметтер сәйкес келеді.',
  'Мемлекеттік деректер қорынан сұрау жіберілді, жауап оң.',
  'Салық берешегі жоқ, мүлік тіркелімінен үзінді алынды.',
  'Комиссия мүшелерімен келісілді, қарсылық жоқ.',
];
const SIGNED_NOTES = [
  'Келісілді. Нәтижені белгіленген мерзімде беру керек.',
  'Қол қойылды, мөр басылды, тіркеу журналына енгізілді.',
  'Шешім бекітілді, көшірмесі істе қалдырылды.',
];
const ISSUED_NOTES = [
  'Нәтиже өтініш берушінің өзіне жеке куәлігін көрсеткен соң қолын қойғызып берілді.',
  'Нәтиже сенімхат бойынша өкілге берілді, сенімхаттың көшірмесі тігілді.',
  'Нәтиже пошта арқылы тапсырыс хатпен жіберілді.',
];

const api = {
  async openDesk(o: { office: string; desk: string; dbName: string; now: number; login: string }): Promise<string> {
    login = o.login;
    desk = await openLabDesk({
      office: o.office,
      desk: o.desk,
      dbName: o.dbName,
      now: () => o.now,
      keys: await labKeys,
    });
    return desk.deviceId;
  },

  async closeDesk(): Promise<void> {
    for (const h of syncs.values()) await h.stop();
    syncs.clear();
    await desk?.close();
    desk = null;
  },

  register(o: { channel: 'provider_office' | 'con'; applicant: number }): Promise<Settled<EventDoc<'registered'>>> {
    return settle(current().registerApplication('registered', actor('clerk'), intake(o.channel, o.applicant)));
  },

  async options(appId: string): Promise<Options | null> {
    const d = current();
    if ((await d.eventsOf(appId)).length === 0) return null;
    const state = await d.state(appId);
    const roles = new Set<StaffRole>(['head', 'clerk']);
    if (state.role) roles.add(state.role);
    return {
      status: state.status,
      final: isFinal(state.status),
      stepId: state.step?.id ?? null,
      role: state.role,
      actions: [...roles].flatMap((role) => allowedActions(state, role).map((action) => ({ role, action }))),
      reworkTarget: reworkTarget(state),
    };
  },

  append(
    appId: string,
    kind: Exclude<EventKind, 'registered' | 'intake_refused'>,
    role: StaffRole,
    payload: Record<string, unknown>,
  ): Promise<Settled<EventDoc>> {
    // The payload is checked by makeEvent (zod) inside the desk: an invalid one is refused there.
    return settle(current().append(appId, kind, actor(role), payload as PayloadOf<typeof kind>));
  },

  /** A scan added to the file (bytes as numbers: they cross from Node). */
  attach(appId: string, role: StaffRole, name: string, bytes: number[]): Promise<Settled<EventDoc>> {
    const data = new Blob([new Uint8Array(bytes)], { type: 'image/png' });
    return settle(current().attach(appId, actor(role), { name, type: 'image/png', data }));
  },

  /**
   * `append`, and when the desk refuses, whether the refused action is still offered on an unchanged
   * application: the UI would offer an action that the desk then refuses.
   */
  async act(
    appId: string,
    kind: Exclude<EventKind, 'registered' | 'intake_refused'>,
    role: StaffRole,
    payload: Record<string, unknown>,
  ): Promise<{ result: Settled<EventDoc>; offeredButRefused: boolean; acceptedButIneffective: string | null }> {
    const d = current();
    const before = (await d.eventsOf(appId)).length;
    const result = await settle(d.append(appId, kind, actor(role), payload as PayloadOf<typeof kind>));
    if (result.ok) {
      // Acknowledged: on this desk's own fold the action must count, unless an event replicated in
      // meanwhile superseded it (then the application has more than one new event).
      const id = result.value._id;
      const state = await d.state(appId);
      const problem = state.problems.find((p) => p.eventId === id)?.code;
      const lost = state.superseded.find((x) => x.eventId === id)?.reason;
      const alone = state.eventCount === before + 1;
      return {
        result,
        offeredButRefused: false,
        acceptedButIneffective: problem ?? (lost && alone ? lost : null),
      };
    }
    const after = (await d.eventsOf(appId)).length;
    const stepId = typeof payload['stepId'] === 'string' ? payload['stepId'] : null;
    const offered = allowedActions(await d.state(appId), role).some(
      (a) =>
        a.kind === kind &&
        (stepId === null || a.stepId === stepId) &&
        (kind !== 'step_done' || (a.outcomes ?? []).includes(payload['outcome'] as 'done')),
    );
    return { result, offeredButRefused: after === before && offered, acceptedButIneffective: null };
  },

  startSync(o: {
    target: string;
    url: string;
    username: string;
    password: string;
    maxBackoffMs?: number;
    batchSize?: number;
    heartbeatMs?: number;
    /** Sync exactly as the app does (SyncController): its own heartbeat, probe timeout and back-off. */
    appDefaults?: boolean;
  }): void {
    const d = current();
    const url = `${o.url.replace(/\/+$/, '')}/${officeDbName(d.config.office)}`;
    const credentials = { username: o.username, password: o.password };
    // The app's remote comes with its line (SyncController: openRemote).
    const { remote, line } = o.appDefaults
      ? openRemote(url, credentials)
      : { remote: new PouchDB(url, { adapter: 'http', auth: credentials, skip_setup: true }), line: undefined };
    const handle = startSync(d.office.db, remote, {
      target: o.target,
      ...(o.appDefaults
        ? { ownDevice: d.deviceId, author: o.username, line }
        : { maxBackoffMs: o.maxBackoffMs ?? 400, heartbeatMs: o.heartbeatMs ?? 1000, probeTimeoutMs: 2000 }),
      ...(o.batchSize ? { batchSize: o.batchSize } : {}),
      onChange: (s) => {
        snapshots.set(o.target, s);
        history.push({ at: Date.now(), state: s.state, pending: s.pendingLocal });
      },
    });
    syncs.set(o.target, handle);
  },

  async stopSync(target: string): Promise<void> {
    await syncs.get(target)?.stop();
    syncs.delete(target);
    // A request the stopped sync had already sent still reaches central, seconds later on a slow
    // lossy link: the next run's counts (what a fresh desk fetched) must not get it. Once none is in
    // flight, the cancelled replication sends nothing more (PouchDB checks at each answer).
    const line = syncLines.get(target);
    syncLines.delete(target);
    const until = Date.now() + 120_000;
    while (line && line.inFlightCount > 0) {
      if (Date.now() > until) throw new Error(`${target}: ${line.inFlightCount} requests still in flight after stop`);
      await new Promise((r) => setTimeout(r, 50));
    }
  },

  async syncNow(target: string): Promise<void> {
    await syncs.get(target)?.syncNow();
  },

  /** Every state the sync handles reported, with when and the pending count. */
  syncHistory(): { at: number; state: string; pending: number | null }[] {
    return history;
  },

  snapshots(): Record<string, SyncSnapshot> {
    return Object.fromEntries(snapshots);
  },

  eventIds(): Promise<string[]> {
    return eventIds(current().office.db);
  },

  async events(): Promise<EventDoc[]> {
    const r = await current().office.db.allDocs<EventDoc>({
      startkey: 'evt:',
      endkey: 'evt:\ufff0',
      include_docs: true,
    });
    return r.rows.flatMap((row) => (row.doc ? [row.doc as unknown as EventDoc] : []));
  },

  async dump(o: { rebuild?: boolean } = {}): Promise<ModelDump> {
    const d = current();
    if (o.rebuild) await d.projector.rebuild();
    await d.settled();
    return openedModelDump(d.model, d.keys);
  },

  // ---- the sync-resume test: a bare office database filled in one go ----

  async fillOffice(o: { dbName: string; count: number; login: string; now: number }): Promise<number> {
    const office = await openOfficeDb('ALM01', { name: o.dbName });
    officeForResume = office;
    const docs: EventDoc[] = [];
    for (let i = 0; i < o.count; i++) {
      const appId = `R${String(i).padStart(5, '0')}`;
      docs.push(
        makeEvent({
          kind: 'registered',
          appId,
          office: 'ALM01',
          device: 'D01',
          clock: { wall: o.now, counter: i % 10_000 },
          now: o.now,
          actor: { login: o.login, role: 'clerk' },
          payload: { ...intake('provider_office', i), regNumber: `ALM01-D01-${String(i + 1).padStart(6, '0')}` },
        }),
      );
    }
    const r = await office.db.bulkDocs(docs);
    return r.filter((x) => 'ok' in x && x.ok).length;
  },

  /** An empty office database, as on a new desk: the download test's starting point. */
  async openEmptyOffice(dbName: string): Promise<void> {
    officeForResume = await openOfficeDb('ALM01', { name: dbName });
  },

  async officeEventCount(): Promise<number> {
    const r = await officeForResume?.db.allDocs({ startkey: 'evt:', endkey: 'evt:\ufff0' });
    return r?.rows.length ?? 0;
  },

  startResumeSync(o: {
    url: string;
    username: string;
    password: string;
    stopAtPushed?: number;
    batchSize: number;
  }): void {
    const office = officeForResume;
    if (!office) throw new Error('fillOffice first');
    // With the app's line: a check slowed by a loaded machine is not taken for a cut (without one,
    // a failed check stops the replication, and a batch stored meanwhile goes uncounted).
    const { remote, line } = openRemote(`${o.url.replace(/\/+$/, '')}/${officeDbName('ALM01')}`, {
      username: o.username,
      password: o.password,
    });
    let stopping = false;
    const handle: SyncHandle = startSync(office.db, remote, {
      target: 'central',
      line,
      maxBackoffMs: 300,
      heartbeatMs: 1000,
      probeTimeoutMs: 2000,
      batchSize: o.batchSize,
      onChange: (s) => {
        snapshots.set('central', s);
        // The brief's graceful cut: the handle is stopped as soon as this many events have gone up.
        if (o.stopAtPushed !== undefined && !stopping && s.pushed >= o.stopAtPushed) {
          stopping = true;
          void handle.stop();
        }
      },
    });
    syncs.set('central', handle);
  },

  async closeResume(): Promise<void> {
    for (const h of syncs.values()) await h.stop();
    syncs.clear();
    await officeForResume?.db.destroy();
    officeForResume = null;
  },

  // ---- the link lab: a day's work of one desk, pushed and pulled through a shaped link ----

  /**
   * A sealed office database holding a day's work of one desk: `apps` applications of five events
   * each (registered, resolution, step done, signed, issued; about 580 bytes of JSON each, as the
   * issue's measurement), and `scans` scans of `scanBytes` each (attachment_added events), the
   * scans interleaved among the applications they belong to.
   */
  async linkFill(o: {
    dbName: string;
    apps: number;
    login: string;
    now: number;
    scans?: number;
    scanBytes?: number;
    /** Application ids start with this (another day's work has other ids). */
    appPrefix?: string;
  }): Promise<{ events: number; scanIds: string[]; jsonBytes: number }> {
    const office = await openOfficeDb('ALM01', { name: o.dbName, keys: await labKeys });
    officeForResume = office;
    const random = prng(19);
    const docs: (EventDoc & { _attachments?: PouchDB.Core.Attachments })[] = [];
    let counter = 0;
    const ev = <K extends EventKind>(appId: string, kind: K, role: StaffRole, payload: PayloadOf<K>): EventDoc<K> =>
      makeEvent({
        kind,
        appId,
        office: 'ALM01',
        device: 'D01',
        clock: { wall: o.now, counter: counter++ },
        now: o.now,
        actor: { login: o.login, role },
        payload,
      });
    // Notes vary as a clerk's do, each with a document number and a date of its own: a day's
    // work that repeated one sentence would compress far better than real work does.
    const pick = (notes: readonly string[]): string =>
      `${notes[Math.floor(random() * notes.length)] ?? ''} №${String(Math.floor(random() * 1e6)).padStart(6, '0')}, ` +
      `${String(1 + Math.floor(random() * 28)).padStart(2, '0')}.0${1 + Math.floor(random() * 9)}.2026`;
    const scanEvery = o.scans ? Math.max(1, Math.floor(o.apps / o.scans)) : 0;
    const scanIds: string[] = [];
    for (let i = 0; i < o.apps; i++) {
      const appId = `${o.appPrefix ?? 'L'}${String(i).padStart(5, '0')}`;
      const iin = String(800101300000 + i).padStart(12, '0');
      docs.push(
        ev(appId, 'registered', 'clerk', {
          ...intake('provider_office', i),
          applicant: {
            kind: 'person',
            iin,
            surname: ['Сейітова', 'Жұмабеков', 'Омарова', 'Қасымов'][i % 4] ?? 'Әбдірова',
            name: ['Айгерім', 'Болат', 'Дана', 'Ермек'][i % 4] ?? 'Гүлнар',
            patronymic: 'Серікқызы',
            address: `Алматы облысы, Қарасай ауданы, ${1 + Math.floor(random() * 40)}-көше, ${i + 1}`,
            phone: `+7 701 ${String(1_000_000 + i).slice(1)}`,
          },
          regNumber: `ALM01-D01-${String(i + 1).padStart(6, '0')}`,
          note: pick(REGISTERED_NOTES),
        }),
        ev(appId, 'resolution', 'head', {
          stepId: 's2',
          executor: o.login,
          executorName: pick(['Омарова Дана', 'Қасымов Ермек', 'Әбдірова Гүлнар', 'Нұрланов Бауыржан']),
          note: pick(RESOLUTION_NOTES),
        }),
        ev(appId, 'step_done', 'executor', {
          stepId: 's3',
          outcome: 'done',
          note: pick(STEP_NOTES),
        }),
        ev(appId, 'signed', 'head', { stepId: 's4', note: pick(SIGNED_NOTES) }),
        ev(appId, 'issued', 'clerk', {
          stepId: 's5',
          mode: 'in_person',
          note: pick(ISSUED_NOTES),
        }),
      );
      if (scanEvery && scanIds.length < (o.scans ?? 0) && i % scanEvery === 0) {
        const bytes = new Uint8Array(o.scanBytes ?? 300_000);
        for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
        const name = `scan-${appId}.jpg`;
        const e = ev(appId, 'attachment_added', 'clerk', { name, contentType: 'image/jpeg', size: bytes.length });
        docs.push({ ...e, _attachments: { [name]: { content_type: 'image/jpeg', data: new Blob([bytes]) } } });
        scanIds.push(e._id);
      }
    }
    const utf8 = new TextEncoder();
    const jsonBytes = docs.reduce((n, d) => n + (d._attachments ? 0 : utf8.encode(JSON.stringify(d)).length), 0);
    const r = await office.db.bulkDocs(docs);
    const failed = r.filter((x) => !('ok' in x && x.ok));
    if (failed.length > 0)
      throw new Error(`linkFill: ${failed.length} documents refused: ${JSON.stringify(failed[0])}`);
    return { events: docs.length, scanIds, jsonBytes };
  },

  /** An empty sealed office database: a fresh desk, before its first pull. */
  async linkOpenEmpty(dbName: string): Promise<void> {
    officeForResume = await openOfficeDb('ALM01', { name: dbName, keys: await labKeys });
  },

  /** Event ids in the link lab's office database that have arrived, and scans among them. */
  async linkCounts(): Promise<{ events: number; scans: number }> {
    const r = await officeForResume?.db.allDocs({ startkey: 'evt:', endkey: 'evt:\ufff0' });
    return { events: r?.rows.length ?? 0, scans: 0 };
  },

  /** The desk's live sync with central, exactly as SyncController starts it. */
  startLinkSync(o: { url: string; username: string; password: string; device?: string; batchSize?: number }): void {
    const office = officeForResume;
    if (!office) throw new Error('linkFill or linkOpenEmpty first');
    const { remote, line } = openRemote(`${o.url.replace(/\/+$/, '')}/${officeDbName('ALM01')}`, {
      username: o.username,
      password: o.password,
    });
    lines.set('central', line);
    const handle = startSync(office.db, remote, {
      target: 'central',
      line,
      ownDevice: o.device ?? 'D01',
      author: o.username,
      ...(o.batchSize ? { batchSize: o.batchSize } : {}),
      onChange: (s) => {
        const was = snapshots.get('central');
        snapshots.set('central', s);
        if (was?.state !== s.state || was.pushed !== s.pushed || was.pulled !== s.pulled)
          syncTrail.push({
            at: Date.now(),
            what: `SYNC ${s.state} pushed ${s.pushed} pulled ${s.pulled} pending ${String(s.pendingLocal)}`,
          });
      },
    });
    syncs.set('central', handle);
    syncLines.set('central', line);
  },

  /** The line's own figures: requests, bytes before and after gzip, aborts, probes. */
  lineCounts(
    target: string,
  ): Line['counts'] & { gzip: boolean | null; state: string; trail: { at: number; what: string }[] } {
    const l = lines.get(target);
    if (!l) throw new Error(`no line for ${target}`);
    return { ...l.counts, gzip: l.gzipAccepted, state: l.status, trail: [...l.trail, ...syncTrail.splice(0)] };
  },

  // ---- the storage test: usage as the browser counts it ----

  /**
   * Fills the origin's storage with incompressible data in another database, one transaction at a
   * time, until IndexedDB refuses: returns how many chunks fit and the refusal's name.
   */
  async fillStorage(chunk = 64 * 1024): Promise<{ chunks: number; refusal: string }> {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('filler', 1);
      r.onupgradeneeded = () => r.result.createObjectStore('chunks');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error ?? new Error('open filler'));
    });
    const random = prng(7);
    for (let i = 0; i < 100_000; i++) {
      const bytes = new Uint8Array(chunk);
      for (let j = 0; j < bytes.length; j += 4) {
        const v = Math.floor(random() * 4294967296);
        bytes[j] = v & 255;
        bytes[j + 1] = (v >>> 8) & 255;
        bytes[j + 2] = (v >>> 16) & 255;
        bytes[j + 3] = (v >>> 24) & 255;
      }
      const outcome = await new Promise<string>((resolve) => {
        const tx = db.transaction('chunks', 'readwrite');
        tx.objectStore('chunks').put(bytes, i);
        tx.oncomplete = () => resolve('ok');
        tx.onabort = () => resolve(tx.error?.name ?? 'AbortError');
      });
      if (outcome !== 'ok') {
        db.close();
        return { chunks: i, refusal: outcome };
      }
    }
    db.close();
    return { chunks: -1, refusal: 'never' };
  },

  /** Frees what `fillStorage` took. */
  async freeStorage(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const r = indexedDB.deleteDatabase('filler');
      r.onsuccess = () => resolve();
      r.onerror = () => reject(r.error ?? new Error('delete filler'));
    });
  },
};

let officeForResume: OfficeDb | null = null;

export type LabApi = typeof api;
export interface LabWindow {
  lab: LabApi;
  labReady: boolean;
}

// ---- the crash writer and its verifier: autonomous pages, reporting to the harness over HTTP ----

async function post(path: string, body: unknown): Promise<void> {
  await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

const people: Record<StaffRole, ActorRef> = {
  clerk: { login: 'clerk1', role: 'clerk' },
  head: { login: 'head1', role: 'head' },
  executor: { login: 'exec1', role: 'executor' },
  commission: { login: 'comm1', role: 'commission' },
  office_admin: { login: 'admin1', role: 'office_admin' },
  catalog_admin: { login: 'cat1', role: 'catalog_admin' },
  supervisor: { login: 'sup1', role: 'supervisor' },
};

/** The first action the step allows, with a plausible payload (as `shared/workflow/drive.ts` plays it). */
async function nextAction(d: Desk, appId: string): Promise<(() => Promise<EventDoc>) | null> {
  const state = await d.state(appId);
  if (!state.role || !state.step) return null;
  const step = state.step;
  const a = allowedActions(state, state.role).find((x) => x.stepId === step.id && x.kind !== 'wait_expired');
  if (!a) return null;
  const by = people[state.role];
  switch (a.kind) {
    case 'resolution':
      return () => d.append(appId, 'resolution', by, { stepId: step.id, executor: 'exec1', executorName: 'Дана' });
    case 'commission_decision':
      return () =>
        d.append(appId, 'commission_decision', by, {
          stepId: step.id,
          decision: 'approved',
          meetingDate: '2026-03-10',
          minutesNo: '7',
        });
    case 'signed':
      return () => d.append(appId, 'signed', by, { stepId: step.id });
    case 'documents_received':
      return () => d.append(appId, 'documents_received', by, { stepId: step.id, documents: [] });
    case 'issued':
      return () => d.append(appId, 'issued', by, { stepId: step.id, mode: 'in_person' });
    case 'step_done':
      return () =>
        d.append(appId, 'step_done', by, {
          stepId: step.id,
          outcome: a.outcomes?.includes('done') ? 'done' : 'approved',
        });
    default:
      return null;
  }
}

async function crashWriter(params: URLSearchParams): Promise<void> {
  const random = prng(Number(params.get('seed') ?? '1'));
  const d = await openLabDesk({
    office: 'ALM01',
    desk: 'D01',
    dbName: params.get('db') ?? 'crash',
    now: () => Date.parse('2026-03-10T05:00:00Z'),
    keys: await labKeys,
  });
  const open: string[] = [];
  await post('/started', { deviceId: d.deviceId });
  for (;;) {
    // One batch: several appends submitted at once (the desk queues them), each acknowledged on its own.
    const size = 1 + Math.floor(random() * 5);
    const batch: Promise<void>[] = [];
    const used = new Set<string>();
    for (let i = 0; i < size; i++) {
      const candidates = open.filter((id) => !used.has(id));
      if (candidates.length === 0 || random() < 0.4) {
        const p = d.registerApplication('registered', people.clerk, intake('provider_office', i));
        batch.push(
          p.then(async (e) => {
            open.push(e.appId);
            await post('/ack', { id: e._id, regNumber: e.payload.regNumber });
          }),
        );
      } else {
        const appId = candidates[Math.floor(random() * candidates.length)] ?? '';
        used.add(appId);
        const p = await nextAction(d, appId);
        if (!p) {
          open.splice(open.indexOf(appId), 1);
          continue;
        }
        batch.push(p().then((e) => post('/ack', { id: e._id, regNumber: null })));
      }
    }
    await Promise.all(batch);
  }
}

async function verify(params: URLSearchParams): Promise<void> {
  const dbName = params.get('db') ?? 'crash';
  const d = await Desk.open(
    { office: 'ALM01', desk: 'D01', dbName, now: () => Date.parse('2026-03-10T05:00:00Z'), keys: await labKeys },
    catalogue,
  );
  await d.settled();
  const all = await d.office.db.allDocs<EventDoc>({ startkey: 'evt:', endkey: 'evt:\ufff0', include_docs: true });
  const regNumbers: Record<string, string> = {};
  const eventsPerApp: Record<string, number> = {};
  for (const row of all.rows) {
    const e = row.doc as unknown as EventDoc | undefined;
    if (!e) continue;
    eventsPerApp[e.appId] = (eventsPerApp[e.appId] ?? 0) + 1;
    if (e.kind === 'registered' || e.kind === 'intake_refused') regNumbers[e._id] = e.payload.regNumber;
  }
  const device = await d.office.db.get<DeviceDoc>(DEVICE_DOC_ID);
  const rows = (await d.model.applications.toArray()).map((r) => ({
    appId: r.appId,
    eventCount: r.eventCount,
    regNumber: r.regNumber,
    superseded: r.superseded,
  }));
  const after: string[] = [];
  for (let i = 0; i < 3; i++)
    after.push((await d.registerApplication('registered', people.clerk, intake('con', i))).payload.regNumber);
  const chained = await d.office.db.allDocs({ startkey: 'evt:', endkey: 'evt:\ufff0', include_docs: true });
  const checked = checkChains(
    chained.rows.flatMap((r) => (r.doc ? [r.doc as unknown as RawDoc] : [])),
    { heads: await ownHeads(d.office.db) },
  );
  const mine = checked.devices.find((x) => x.device === device.deviceId);
  const audit = {
    ok: checked.ok,
    findings: checked.findings,
    chained: mine?.chained ?? 0,
    lastSeq: mine?.lastSeq ?? 0,
  };
  await d.close();
  const report: VerifyReport = { ids: all.rows.map((r) => r.id), regNumbers, device, rows, eventsPerApp, after, audit };
  await post('/result', report);
}

const params = new URLSearchParams(location.search);
const mode = params.get('mode');
const w = window as unknown as LabWindow;
w.lab = api;
w.labReady = true;
if (mode === 'crash') {
  crashWriter(params).catch((e: unknown) => void post('/error', { message: String(e) }));
} else if (mode === 'verify') {
  verify(params).catch((e: unknown) => void post('/error', { message: String(e) }));
}
