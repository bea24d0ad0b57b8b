import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/*
 * The lint rule that keeps the UI on the data/ facade (eslint.config.js, DATA_FACADE and
 * UI_DATA_RULES): code that reaches around it is refused in features, components, the app shell and
 * print templates, and allowed inside data/ itself.
 */
const probe = (data: string): string => `
import Dexie from 'dexie';
import { useLiveQuery } from 'dexie-react-hooks';
import PouchDB from 'pouchdb-browser';
import { inboxCount } from '${data}/read/inbox';
import { type Desk } from '${data}';
export const probe = async (desk: Desk): Promise<unknown> => [
  Dexie,
  useLiveQuery,
  PouchDB,
  inboxCount,
  await fetch('http://127.0.0.1/'),
  await window.fetch('http://127.0.0.1/'),
  desk.model.applications,
  desk.office.db,
  desk.office.name,
];
`;

const FACADE_RULES = ['no-restricted-imports', 'no-restricted-globals', 'no-restricted-syntax'];

async function facadeFindings(filePath: string, data: string): Promise<{ rule: string; line: number }[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(probe(data), { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId && FACADE_RULES.includes(m.ruleId))
    .map((m) => ({ rule: m.ruleId ?? '', line: m.line }));
}

describe('the data facade lint rule', () => {
  const refused = [
    { rule: 'no-restricted-imports', line: 2 }, // dexie
    { rule: 'no-restricted-imports', line: 3 }, // dexie-react-hooks (useLiveQuery comes from the facade)
    { rule: 'no-restricted-imports', line: 4 }, // pouchdb
    { rule: 'no-restricted-imports', line: 5 }, // a data/ internal
    { rule: 'no-restricted-globals', line: 12 }, // fetch
    { rule: 'no-restricted-syntax', line: 13 }, // window.fetch
    { rule: 'no-restricted-syntax', line: 14 }, // desk.model
    { rule: 'no-restricted-syntax', line: 15 }, // desk.office.db (desk.office.name on line 16 is fine)
  ];

  it.each([
    ['a feature', 'renderer/features/inbox/InboxPage.tsx', '../../data'],
    ['a component', 'renderer/components/ListControls.tsx', '../data'],
    ['the app shell', 'renderer/app/SideNav.tsx', '../data'],
    ['a print template', 'renderer/print/printData.ts', '../data'],
  ])('refuses Dexie, PouchDB, data/ internals, fetch and the desk’s tables in %s', async (_, file, data) => {
    expect(await facadeFindings(file, data)).toEqual(refused);
  });

  it('leaves the data layer itself free to use them', async () => {
    expect(await facadeFindings('renderer/data/read/queries.ts', '.')).toEqual([]);
  });
}, 120_000);
