import type { UiLanguage } from '@shared/ipc/contract';

export type Messages = { [key: string]: string | Messages };
export type Resources = Record<UiLanguage, Record<string, Messages>>;

// Every JSON file under locales/<lang>/ is a namespace; new features just add files.
const files = import.meta.glob<Messages>('../../locales/*/*.json', { eager: true, import: 'default' });

/** All translations, bundled with the app (nothing is fetched at run time). */
export function loadResources(): Resources {
  const resources: Resources = { kk: {}, ru: {} };
  for (const [file, messages] of Object.entries(files)) {
    const match = /locales\/(kk|ru)\/([\w-]+)\.json$/.exec(file);
    if (!match) continue;
    const [, lang, ns] = match as unknown as [string, UiLanguage, string];
    resources[lang][ns] = messages;
  }
  return resources;
}

export function namespaces(resources: Resources): string[] {
  return Object.keys(resources.kk).sort();
}
