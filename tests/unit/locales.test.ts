import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { SECTIONS } from '@shared/ipc/contract';
import type { DataError } from '../../renderer/data/store/officeDb';
import type { SyncErrorCode, SyncState } from '../../renderer/data/sync/sync';
import { createI18n } from '../../renderer/i18n';

const root = path.resolve(__dirname, '../..');
type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

function readLocale(lang: string): Map<string, string> {
  const dir = path.join(root, 'locales', lang);
  const all = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const ns = file.replace(/\.json$/, '');
    const tree = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Tree;
    for (const [k, v] of flatten(tree)) all.set(`${ns}:${k}`, v);
  }
  return all;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

const kk = readLocale('kk');
const ru = readLocale('ru');

describe('locales', () => {
  it('Kazakh and Russian have exactly the same keys', () => {
    const onlyKk = [...kk.keys()].filter((k) => !ru.has(k));
    const onlyRu = [...ru.keys()].filter((k) => !kk.has(k));
    expect({ onlyKk, onlyRu }).toEqual({ onlyKk: [], onlyRu: [] });
  });

  it('has no empty value', () => {
    const empty = [...kk, ...ru].filter(([, v]) => v.trim() === '').map(([k]) => k);
    expect(empty).toEqual([]);
  });

  it('every message is valid ICU MessageFormat in its language', () => {
    const bad: string[] = [];
    for (const [lang, messages] of [
      ['kk', kk],
      ['ru', ru],
    ] as const) {
      for (const [key, message] of messages) {
        try {
          new IntlMessageFormat(message, lang);
        } catch (e) {
          bad.push(`${lang} ${key}: ${(e as Error).message}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('Kazakh texts are not left in Russian: each Kazakh value differs from the Russian one or is shared on purpose', () => {
    // Values that are the same in both languages by nature: proper names, codes, language names.
    const sameOnPurpose =
      /^(menu:file|common:languageShort\..*|settings:language\.name\..*|reception:applicant\.phone|visits:list\.phone|auth:login)$/;
    const copies = [...kk]
      .filter(([k, v]) => ru.get(k) === v && /[А-Яа-яЁё]{4,}/.test(v) && !sameOnPurpose.test(k))
      .map(([k]) => k);
    expect(copies).toEqual([]);
  });

  it('every key used in the code exists, and every call names its namespace', () => {
    const files = ['renderer', 'electron'].flatMap((d) => sourceFiles(path.join(root, d)));
    const missing: string[] = [];
    const noNamespace: string[] = [];
    let found = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*(['"])([^'"]+)\1/g)) {
        const key = m[2] ?? '';
        found++;
        if (!key.includes(':')) noNamespace.push(`${path.relative(root, file)}: ${key}`);
        else if (!kk.has(key)) missing.push(`${path.relative(root, file)}: ${key}`);
      }
    }
    expect(found).toBeGreaterThan(10);
    expect({ missing, noNamespace }).toEqual({ missing: [], noNamespace: [] });
  });

  it('keys built from data exist for every value (sections, sync states, languages)', () => {
    for (const s of SECTIONS) expect(kk.has(`nav:${s}`), `nav:${s}`).toBe(true);
    for (const s of ['notConfigured', 'offline', 'syncing', 'online', 'error'])
      expect(kk.has(`sync:status.${s}`)).toBe(true);
    for (const l of ['kk', 'ru']) {
      expect(kk.has(`common:languageShort.${l}`)).toBe(true);
      expect(kk.has(`settings:language.name.${l}`)).toBe(true);
    }
    for (const p of ['electron', 'browser']) expect(kk.has(`settings:about.platform.${p}`)).toBe(true);
    const syncErrors: SyncErrorCode[] = [
      'sync.unauthorized',
      'sync.forbidden',
      'sync.unreachable',
      'sync.serverError',
      'sync.storageFull',
      'sync.failed',
    ];
    for (const code of syncErrors) expect(kk.has(`sync:error.${code.slice('sync.'.length)}`), code).toBe(true);
    const dataErrors: DataError['code'][] = [
      'storage.openTimeout',
      'storage.quotaExceeded',
      'storage.failed',
      'device.conflict',
    ];
    for (const code of dataErrors) expect(kk.has(`data:errors.${code}`), code).toBe(true);
    const states: SyncState[] = ['connecting', 'syncing', 'online', 'offline', 'error', 'stopped'];
    for (const s of states) expect(kk.has(`sync:status.${s}`), s).toBe(true);
  });

  it('Kazakh is the language of the UI by default', async () => {
    const i18n = await createI18n(undefined, false);
    expect(i18n.language).toBe('kk');
    expect(i18n.t('nav:reception')).toBe('Қабылдау');
  });

  it('plural forms: Kazakh one/other, Russian one/few/many/other', async () => {
    const i18n = await createI18n('kk', false);
    const kkT = i18n.getFixedT('kk');
    const ruT = i18n.getFixedT('ru');
    expect(kkT('common:applicationsCount', { count: 1 })).toBe('1 өтініш');
    expect(kkT('common:applicationsCount', { count: 5 })).toBe('5 өтініш');
    expect(ruT('common:applicationsCount', { count: 1 })).toBe('1 заявление');
    expect(ruT('common:applicationsCount', { count: 3 })).toBe('3 заявления');
    expect(ruT('common:applicationsCount', { count: 5 })).toBe('5 заявлений');
    expect(ruT('common:applicationsCount', { count: 21 })).toBe('21 заявление');
    expect(ruT('common:applicationsCount', { count: 111 })).toBe('111 заявлений');
    expect(ruT('common:workingDaysLeft', { count: 2 })).toBe('Осталось 2 рабочих дня');
    expect(kkT('common:workingDaysLeft', { count: 2 })).toBe('2 жұмыс күні қалды');
  });
});
