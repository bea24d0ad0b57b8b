import { beforeEach, describe, expect, it } from 'vitest';
import { throwawayDeskKeys, type DeskKeys } from '../../data/seal/deskKeys';
import { openJson } from '../../data/seal/envelope';
import { useDeskKeys } from '../../state/deskKeys';
import { DRAFTS_KEY, draftsWritten, useDrafts } from './draftStore';
import { emptyDraft, type ReceptionDraft } from './intake';

/** Reception drafts in real localStorage (Chromium): sealed, never clear; opened only with the keys. */

const IIN = '900101300017';
const fill = (d: ReceptionDraft): ReceptionDraft => ({
  ...d,
  idInput: IIN,
  person: { ...d.person, surname: 'Нұрланов', name: 'Ерлан', address: 'Абай даңғылы, 150', phone: '+7 701 555 0199' },
});
const CLEAR = [IIN, 'Нұрланов', 'Ерлан', 'Абай', '555 0199'];

/** What a reload leaves: localStorage, and nothing in memory. */
function reload(): void {
  useDrafts.setState({ drafts: {}, loaded: {}, keys: null });
}

beforeEach(() => {
  localStorage.removeItem(DRAFTS_KEY);
  useDeskKeys.getState().forget();
  reload();
});

async function typed(keys: DeskKeys, login = 'aigerim'): Promise<void> {
  await useDrafts.getState().load(login, keys);
  useDrafts.getState().update(login, fill);
  useDrafts.getState().update(login, (d) => ({ ...d, note: 'second change' }));
  await draftsWritten();
}

describe('reception drafts at rest', () => {
  it('localStorage holds the draft sealed only; a reload with the keys restores it', async () => {
    const keys = await throwawayDeskKeys();
    await typed(keys);
    const raw = localStorage.getItem(DRAFTS_KEY) ?? '';
    expect(raw).toContain('kenc1.');
    for (const clear of CLEAR) expect(raw, clear).not.toContain(clear);
    // The context binds it to its login: it does not open as someone else's.
    const sealed = (JSON.parse(raw) as { drafts: Record<string, string> }).drafts['aigerim'] ?? '';
    await expect(openJson(keys.data, sealed, 'draft:dana')).rejects.toThrow('envelope.tampered');

    reload();
    expect(useDrafts.getState().drafts['aigerim']).toBeUndefined();
    await useDrafts.getState().load('aigerim', keys);
    expect(useDrafts.getState().drafts['aigerim']).toMatchObject({
      idInput: IIN,
      note: 'second change', // the last change is the one kept
      person: { surname: 'Нұрланов', address: 'Абай даңғылы, 150' },
    });
    // Registered or cleared: gone from storage too.
    useDrafts.getState().clear('aigerim');
    await draftsWritten();
    expect(JSON.parse(localStorage.getItem(DRAFTS_KEY) ?? '{}')).toMatchObject({ drafts: {} });
  });

  it('without keys nothing is kept or written; with other keys nothing is shown', async () => {
    useDrafts.getState().update('aigerim', fill);
    await draftsWritten();
    expect(useDrafts.getState().drafts['aigerim']).toBeUndefined();
    expect(localStorage.getItem(DRAFTS_KEY)).toBeNull();

    await typed(await throwawayDeskKeys());
    reload();
    await useDrafts.getState().load('aigerim', await throwawayDeskKeys());
    expect(useDrafts.getState().loaded['aigerim']).toBe(true);
    expect(useDrafts.getState().drafts['aigerim']).toBeUndefined();
  });

  it('signing out forgets the opened drafts; signing in again opens them', async () => {
    const keys = await throwawayDeskKeys();
    useDeskKeys.getState().set(keys);
    await typed(keys);
    expect(useDrafts.getState().drafts['aigerim']).toBeDefined();
    useDeskKeys.getState().forget();
    expect(useDrafts.getState().drafts).toEqual({});
    expect(useDrafts.getState().keys).toBeNull();
    useDeskKeys.getState().set(keys);
    await useDrafts.getState().load('aigerim', keys);
    expect(useDrafts.getState().drafts['aigerim']).toMatchObject({ idInput: IIN });
  });

  it('drafts left in clear by an older version are sealed on first load, every login’s, and lose nothing', async () => {
    const old = { ...fill(emptyDraft()), serviceId: 'test-permit' };
    const { person: _p, ...withoutPerson } = fill(emptyDraft());
    localStorage.setItem(
      DRAFTS_KEY,
      JSON.stringify({ state: { drafts: { aigerim: old, dana: { ...withoutPerson, note: 'Дананың' } } }, version: 1 }),
    );
    const keys = await throwawayDeskKeys();
    await useDrafts.getState().load('aigerim', keys);
    const raw = localStorage.getItem(DRAFTS_KEY) ?? '';
    for (const clear of [...CLEAR, 'Дананың']) expect(raw, clear).not.toContain(clear);
    expect(useDrafts.getState().drafts['aigerim']).toEqual(old);
    await useDrafts.getState().load('dana', keys);
    // An older shape is completed with empty fields.
    expect(useDrafts.getState().drafts['dana']).toMatchObject({ note: 'Дананың', person: emptyDraft().person });
  });
});
