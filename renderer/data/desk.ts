import { DEFAULT_CALENDAR, type WorkCalendar } from '@shared/calendar';
import type { Catalogue } from '@shared/catalogue';
import { checkOfficeDoc, officeDbName, validationRulesFromKinds, type UserCtx } from '@shared/couch';
import {
  formatOutgoingNumber,
  formatRegNumber,
  parseOutgoingNumber,
  parseRegNumber,
  highestNumbers,
  KIND_ROLES,
  makeEvent,
  newAppId,
  parseEvent,
  parseHlc,
  receiveHlc,
  tickHlc,
  type ActorRef,
  type EventDoc,
  type EventKind,
  type Hlc,
  type PayloadOf,
} from '@shared/events';
import { fold, outgoingLetter, type ApplicationState } from '@shared/workflow';
import { STAFF_DIRECTORY_PREFIX } from '@shared/staff';
import { sha256OfBlob, writeChained, type MadeWithDevice, type WritableEvent } from './read/auditChain';
import { DataError, openOfficeDb, toDataError, type OfficeDb } from './store/officeDb';
import type { DeskKeys } from './seal/deskKeys';
import type { PouchDB } from './store/pouch';
import { localNumberMemory, NumberGuard, numberMemoryKey, type NumberMemoryStore } from './sync/numberGuard';
import { makeProjectFn } from './projection/project';
import { keepPurgedFacts } from './projection/projectBatch';
import { inlineProjection, workerProjection, type ProjectionRunner } from './projection/projectionHost';
import { docsInRanges } from './store/docsInRanges';
import { Projector, type ProjectorProgress, type StoredEvent } from './projection/projector';
import { dropOldReadModels, olderPurgedFacts, openReadModel, type ReadModel } from './store/readModel';
import { staffRowOf, standingOf } from './read/staff';

/** Why the desk would not write an event: a translatable code (`data:append.<code>`). */
export class AppendError extends Error {
  constructor(
    readonly code: string,
    cause?: unknown,
  ) {
    super(code, { cause });
    this.name = 'AppendError';
  }
}

/** The translation key that explains why a desk write failed (storage, rules, or unknown). */
export function writeFailureKey(e: unknown): string {
  if (e instanceof DataError) return `data:errors.${e.code}`;
  if (e instanceof AppendError) return `data:append.${e.code}`;
  return 'data:append.unknown';
}

export interface DeskConfig {
  office: string;
  desk: string;
  /** Test seam: a separate database name per test. */
  dbName?: string;
  calendar?: WorkCalendar;
  now?: () => number;
  /**
   * The unlocked desk keys (renderer/data/seal/deskKeys.ts): event payloads and scans are sealed with
   * them in the local replica (sealedDb.ts), personal fields and search words in the read model
   * (sealedRows.ts). No keys, no desk: the app opens it only once a person has unlocked them.
   */
  keys: DeskKeys;
  /** Benchmark baseline only: leave the office database unsealed (the read model is sealed anyway). */
  clearOfficeDb?: boolean;
  /** Test seam: where the desk remembers its numbers outside IndexedDB (localStorage by default). */
  numberMemory?: NumberMemoryStore;
  /**
   * Where the projection runs: the projection worker (the default; a factory for bundles that
   * build it elsewhere, like the reliability lab's), or 'inline' on this thread.
   */
  projection?: 'inline' | (() => Worker);
}

const rules = validationRulesFromKinds(KIND_ROLES);

/** Whether two calendars hold the same years with the same data (a corrected year is a new object). */
function sameYears(a: WorkCalendar, b: WorkCalendar): boolean {
  const ya = Object.keys(a.years);
  const yb = Object.keys(b.years);
  return (
    ya.length === yb.length &&
    ya.every((y) => JSON.stringify(a.years[Number(y)]) === JSON.stringify(b.years[Number(y)]))
  );
}

/**
 * One desk's data: the office database (the only thing written: immutable events), the read model
 * the projector keeps from it, and the rules that every append passes before it is written — the
 * same validator the server runs, and the workflow engine's verdict on the action.
 */
export class Desk {
  private clock: Hlc | null = null;
  /** Appends run one at a time: a double click cannot register twice or race the sequence. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Set once by `open`, before the desk is handed out. */
  private guard!: NumberGuard;
  private resyncing: Promise<void> | null = null;

  private constructor(
    readonly config: DeskConfig,
    readonly office: OfficeDb,
    readonly model: ReadModel,
    readonly projector: Projector,
    private currentCatalogue: Catalogue,
    private currentCalendar: WorkCalendar,
    readonly deviceId: string,
    /** What the read model's personal fields are sealed and searched with. */
    readonly keys: DeskKeys,
  ) {}

  static async open(
    config: DeskConfig,
    catalogue: Catalogue,
    onProgress?: (p: ProjectorProgress) => void,
  ): Promise<Desk> {
    const office = await openOfficeDb(config.office, {
      ...(config.dbName ? { name: config.dbName } : {}),
      ...(config.clearOfficeDb ? {} : { keys: config.keys }),
    });
    const device = await office.setDesk(config.office, config.desk);
    const name = config.dbName ?? office.name;
    const model = openReadModel(name);
    // A new read-model version starts from the events; the facts of applications this desk purged
    // have none left, so they come from the older model before it is dropped.
    await keepPurgedFacts(model, await olderPurgedFacts(name));
    await dropOldReadModels(name);
    const calendar = config.calendar ?? DEFAULT_CALENDAR;
    const now = config.now ?? Date.now;
    const keys = config.keys;
    const project = makeProjectFn(catalogue, calendar);
    const inline = (): ProjectionRunner =>
      inlineProjection(model, project, keys, (ranges) => docsInRanges(office.db, ranges));
    // Off the window's thread wherever a worker can start; on it otherwise (and said so).
    const runner =
      config.projection === 'inline' || typeof Worker === 'undefined'
        ? inline()
        : await workerProjection(
            {
              modelName: name,
              keys,
              services: catalogue.services,
              calendar,
              // Its events read in the worker, where the worker can read the adapter's store.
              ...((office.db as { adapter?: string }).adapter === 'indexeddb' ? { replicaName: office.name } : {}),
            },
            inline,
            config.projection,
          ).catch((e: unknown) => {
            console.warn('projection worker did not start; projecting on the window thread', e);
            return inline();
          });
    const projector = new Projector(office.db, model, project, keys, now, { runner });
    const desk = new Desk(config, office, model, projector, catalogue, calendar, device.deviceId, keys);
    await desk.seedClock();
    // A new read-model version starts empty: this pass is the rebuild, with its progress shown.
    await projector.catchUp(onProgress);
    projector.start();
    desk.guard = NumberGuard.check(
      config.numberMemory ?? localNumberMemory,
      numberMemoryKey(name, config.desk),
      await office.device(),
      { sequence: await desk.registrationFloor(), outgoing: await desk.outgoingFloor() },
    );
    return desk;
  }

  /** Every service version the desk knows: an application is folded under the one it was registered under. */
  get catalogue(): Catalogue {
    return this.currentCatalogue;
  }

  /** The working-time calendar: the published years the desk holds. */
  get calendar(): WorkCalendar {
    return this.currentCalendar;
  }

  /**
   * A new catalogue or calendar pulled from central (or published here): used from now on, and the
   * read model re-folds every application when the change can move a due time — a calendar year
   * added or corrected, a service version that was unknown — so lists and inboxes follow.
   */
  setCatalog(catalogue: Catalogue, calendar: WorkCalendar): void {
    if (catalogue === this.currentCatalogue && calendar === this.currentCalendar) return;
    const keys = (c: Catalogue): string =>
      c.services
        .map((s) => `${s.id}@${s.version}`)
        .sort()
        .join();
    const refold = keys(catalogue) !== keys(this.currentCatalogue) || !sameYears(calendar, this.currentCalendar);
    this.currentCatalogue = catalogue;
    this.currentCalendar = calendar;
    this.projector.setProject(makeProjectFn(catalogue, calendar), { services: catalogue.services, calendar }, refold);
  }

  /** Holds numbering on a wiped desk until it has re-synced (numberGuard.ts). */
  get numbers(): NumberGuard {
    return this.guard;
  }

  private get now(): number {
    return (this.config.now ?? Date.now)();
  }

  /** Later local events must sort after everything this desk has seen, whatever its wall clock says. */
  private async seedClock(): Promise<void> {
    const recent = await this.office.db.changes({ descending: true, limit: 200 });
    for (const r of recent.results) {
      const hlc = parseHlc(r.id.split(':')[2] ?? '');
      if (hlc) this.clock = receiveHlc(this.clock, hlc, this.now);
    }
  }

  async close(): Promise<void> {
    this.projector.stop();
    // Let a pass already under way finish before its databases close under it.
    await this.projector.catchUp().catch(() => undefined);
    this.projector.close();
    this.model.close();
    await this.office.close();
  }

  /** All events of an application, parsed; malformed documents are left out (the fold reports them). */
  async eventsOf(appId: string): Promise<EventDoc[]> {
    const docs = await this.projector.eventsOf(appId);
    return docs.flatMap((d: StoredEvent) => {
      const r = parseEvent(d);
      return r.ok ? [r.event] : [];
    });
  }

  async state(appId: string): Promise<ApplicationState> {
    return fold({
      appId,
      events: await this.eventsOf(appId),
      service: (id, v) => this.catalogue.get(id, v),
      calendar: this.calendar,
      now: this.now,
    });
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Records one action on an existing application, if the workflow allows it now. */
  append<K extends Exclude<EventKind, 'registered' | 'intake_refused'>>(
    appId: string,
    kind: K,
    actor: ActorRef,
    payload: PayloadOf<K>,
  ): Promise<EventDoc<K>> {
    return this.serial(async () => {
      if (kind === 'resolution' || kind === 'reassigned')
        await this.checkExecutor((payload as PayloadOf<'resolution' | 'reassigned'>).executor);
      const events = await this.eventsOf(appId);
      if (events.length === 0) throw new AppendError('append.unknownApplication');
      // The action follows every event of the application this desk has seen, including replicated
      // ones stamped by a clock ahead of this one: without this it could sort before them.
      for (const e of events) {
        const hlc = parseHlc(e.hlc);
        if (hlc) this.clock = receiveHlc(this.clock, hlc, this.now);
      }
      const foldWith = (more: EventDoc[]): ApplicationState =>
        fold({
          appId,
          events: [...events, ...more],
          service: (id, v) => this.catalogue.get(id, v),
          calendar: this.calendar,
          now: this.now,
        });
      const event = this.build(appId, kind, actor, payload);
      const refused = foldWith([event]).superseded.find((s) => s.eventId === event._id);
      if (refused) throw new AppendError(refused.reason);
      // A letter leaving the office takes this desk's next outgoing number, as a registration takes
      // its own: from the device document in the transaction that writes the event, and only once
      // the engine has accepted the action (a refused action takes none).
      if (outgoingLetter(foldWith([]), kind, payload as { stepId?: string; outcome?: string })) {
        if (this.numbers.held) throw new AppendError('append.heldForResync');
        const floor = Math.max(await this.outgoingFloor(), this.numbers.floors.outgoing);
        return this.writeNumbered('outgoing', floor, (sequence) => {
          const outgoingNumber = formatOutgoingNumber(this.config.office, this.config.desk, sequence);
          const numbered = this.build(appId, kind, actor, { ...payload, outgoingNumber });
          const refusedNumbered = foldWith([numbered]).superseded.find((s) => s.eventId === numbered._id);
          if (refusedNumbered) throw new AppendError(refusedNumbered.reason);
          return numbered;
        });
      }
      return this.write(event);
    });
  }

  /**
   * An application goes only to an active executor of this office in its staff directory: a
   * mistyped or departed login would leave it in nobody's inbox. With no directory on this desk
   * yet (the office's central service has not written it) nobody can be chosen, and the desk says so.
   * Read from the replica, not the read model: an entry that has just arrived may not be projected
   * yet, and an append does not wait for the projector.
   */
  private async checkExecutor(login: string): Promise<void> {
    const db = this.office.db;
    const [entry, some] = await Promise.all([
      db.get(STAFF_DIRECTORY_PREFIX + login).then(
        (doc) => staffRowOf(doc) ?? undefined,
        (e: unknown) => {
          if ((e as { status?: unknown } | null)?.status === 404) return undefined;
          throw e;
        },
      ),
      db.allDocs({ startkey: STAFF_DIRECTORY_PREFIX, endkey: `${STAFF_DIRECTORY_PREFIX}\ufff0`, limit: 1 }),
    ]);
    const standing = standingOf(some.rows.length > 0, entry, this.config.office);
    if (standing === 'noDirectory') throw new AppendError('append.noStaffDirectory');
    if (standing !== 'active') throw new AppendError('append.notActiveExecutor');
  }

  /**
   * The highest outgoing number of this desk among the office's events (read model): should the
   * device document be lost with a wiped database, numbers already replicated back are not reused.
   * Numbers are zero-padded to six digits, so the index order is numeric up to 999,999.
   */
  private async outgoingFloor(): Promise<number> {
    const prefix = `${this.config.office}-${this.config.desk}/`;
    const last = await this.model.journal.where('number').startsWith(prefix).last();
    return (last?.number && parseOutgoingNumber(last.number)?.sequence) || 0;
  }

  /**
   * The same floor for registration numbers: after Chromium wipes a crashed desk's IndexedDB (seen
   * about once in 25 kills under load), the events that already reached the server come back with
   * the next sync, and the desk then goes on after them instead of handing out their numbers again.
   */
  private async registrationFloor(): Promise<number> {
    const prefix = `${this.config.office}-${this.config.desk}-`;
    const last = await this.model.journal.where('number').startsWith(prefix).last();
    return (last?.number && parseRegNumber(last.number)?.sequence) || 0;
  }

  /**
   * Registers a new application (or records a refusal to accept it) under the desk's next
   * sequence number, taken from the device document in the transaction that writes the event: a
   * crash leaves both or neither, never a number given twice (and one strict write, not two).
   */
  registerApplication<K extends 'registered' | 'intake_refused'>(
    kind: K,
    actor: ActorRef,
    payload: Omit<PayloadOf<K>, 'regNumber'>,
  ): Promise<EventDoc<K>> {
    return this.serial(async () => {
      const service = this.catalogue.get(payload.serviceId, payload.serviceVersion);
      if (!service?.variants.some((v) => v.id === payload.variantId)) throw new AppendError('append.unknownService');
      if (this.numbers.held) throw new AppendError('append.heldForResync');
      const floor = Math.max(await this.registrationFloor(), this.numbers.floors.sequence);
      this.clock = tickHlc(this.clock, this.now);
      const appId = newAppId(this.deviceId, this.clock);
      return this.writeNumbered('sequence', floor, (sequence) => {
        const regNumber = formatRegNumber(this.config.office, this.config.desk, sequence);
        return this.build(appId, kind, actor, { ...payload, regNumber } as PayloadOf<K>);
      });
    });
  }

  /**
   * Writes the event `make` gives for the desk's next number of `counter` (above `floor`), the
   * number taken from the device document in the transaction that writes the event, then
   * remembered apart from IndexedDB (numberGuard.ts) before it is shown or printed.
   */
  private async writeNumbered<D extends WritableEvent>(
    counter: 'sequence' | 'outgoing',
    floor: number,
    make: (n: number) => D,
  ): Promise<D> {
    const field = counter === 'sequence' ? 'sequence' : 'outgoingSequence';
    let n = 0;
    const written = await this.write((device) => {
      n = Math.max(device[field] ?? 0, floor) + 1;
      return { event: make(n), device: { ...device, [field]: n } };
    });
    this.numbers.reserved(counter, n);
    return written;
  }

  private build<K extends EventKind>(appId: string, kind: K, actor: ActorRef, payload: PayloadOf<K>): EventDoc<K> {
    this.clock = tickHlc(this.clock, this.now);
    try {
      return makeEvent({
        kind,
        appId,
        office: this.config.office,
        device: this.deviceId,
        clock: this.clock,
        now: this.now,
        actor,
        payload,
      });
    } catch (e) {
      throw new AppendError('append.invalidPayload', e);
    }
  }

  private async write<D extends WritableEvent>(event: D | MadeWithDevice<D>): Promise<D> {
    // The server's own rules, run here first: what the server would refuse is never written.
    const check = (doc: D): void => {
      const user: UserCtx = {
        db: officeDbName(doc.office),
        name: doc.actor.login,
        roles: [doc.actor.role, `office:${doc.office}`],
      };
      try {
        checkOfficeDoc(doc as unknown as Record<string, unknown>, null, user, null, rules);
      } catch (e) {
        const reason = (e as { forbidden?: unknown }).forbidden;
        throw new AppendError(typeof reason === 'string' ? reason : 'append.refused', e);
      }
    };
    let written: D;
    try {
      // Linked into this device's audit chain, the head moving in the same transaction.
      written = await writeChained(this.office, event, check);
    } catch (e) {
      if (e instanceof AppendError) throw e;
      const mapped = toDataError(e, this.office.name);
      if (mapped instanceof DataError) throw mapped;
      throw new AppendError('append.writeFailed', e);
    }
    // The write stands once put. The read model follows: the write itself asks the projector for
    // a pass (store/writes.ts); asking here too ran a second, empty one after it.
    return written;
  }

  /**
   * Adds a scan or photo to an application's file: one immutable event carrying the bytes as its
   * attachment. Large photos are downscaled first (see `prepareScan`).
   */
  attach(
    appId: string,
    actor: ActorRef,
    file: { name: string; type: string; data: Blob },
  ): Promise<EventDoc<'attachment_added'>> {
    return this.serial(async () => {
      if ((await this.eventsOf(appId)).length === 0) throw new AppendError('append.unknownApplication');
      const contentType = file.type as PayloadOf<'attachment_added'>['contentType'];
      const event = this.build(appId, 'attachment_added', actor, {
        name: file.name,
        contentType,
        size: file.data.size,
        sha256: await sha256OfBlob(file.data),
      });
      const doc = { ...event, _attachments: { [file.name]: { content_type: contentType, data: file.data } } };
      const { _attachments: _bytes, ...written } = await this.write(doc);
      return written;
    });
  }

  /**
   * The clear bytes of an attachment, for showing or saving (the sealing layer opens them), checked
   * against the SHA-256 its event records: bytes that do not match (a revision forged around the
   * event) are refused with `attachment.mismatch`, never shown as the scan.
   */
  async attachment(eventId: string, name: string): Promise<Blob> {
    const event = (await this.office.db.get(eventId)) as unknown as Partial<EventDoc<'attachment_added'>>;
    const data = (await this.office.db.getAttachment(eventId, name)) as Blob;
    const expected = event.kind === 'attachment_added' ? event.payload?.sha256 : undefined;
    if (expected && (await sha256OfBlob(data)) !== expected) throw new DataError('attachment.mismatch');
    return data;
  }

  /**
   * The numbers the server's events gave out, before those events are here (a first download
   * reads them from the desks' view first): a desk that takes over a desk code (a replaced laptop,
   * a wiped profile) must not give out a number of that code's history while the history is still
   * coming, so its counters rise past them at once (on the device document: the numbers were not
   * this device's reservations, and the wipe check must not take them for lost ones).
   */
  coverNumbers(given: readonly string[]): Promise<void> {
    return this.office.raiseSequences(highestNumbers(given, this.config.office, this.config.desk));
  }

  /**
   * Lifts the hold on a wiped desk's numbering once a pull from `remote` has run to the end and
   * the read model shows what it brought: the floors then cover every number the server holds.
   * One-shot and idempotent; a failure (the server went away) leaves the hold in place.
   */
  resyncFrom(remote: PouchDB.Database): Promise<void> {
    if (!this.numbers.held) return Promise.resolve();
    this.resyncing ??= (async () => {
      try {
        await this.office.db.replicate.from(remote, { batch_size: 500 });
        await this.settled();
        this.numbers.resynced();
      } finally {
        this.resyncing = null;
      }
    })();
    return this.resyncing;
  }

  /** Waits until the read model reflects everything written so far (tests, printing after register). */
  async settled(): Promise<void> {
    await this.projector.settle();
  }
}
