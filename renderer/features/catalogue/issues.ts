import type { TFunction } from 'i18next';
import type { CatalogIssue } from '@shared/catalogue';

/**
 * A schema problem as the administrator reads it, in the UI language: where (the field path, with
 * variants and steps named by their ids rather than positions) and what is wrong. zod's codes and
 * the catalogue's own problems (`params.code`) are mapped to `catalogue:issues.*`.
 */
export interface IssueLine {
  where: string;
  what: string;
}

const FORMATS: Record<string, string> = {
  'expected YYYY-MM-DD': 'date',
  'expected lower-case letters, digits and hyphens': 'id',
  'expected lower-case letters and underscores': 'id',
  'HH:MM': 'time',
  'expected an office code': 'officeCode',
};

const pick = (o: unknown, key: string | number): unknown =>
  o !== null && typeof o === 'object' ? (o as Record<string | number, unknown>)[key] : undefined;

/** `variants › employer-issue › steps › s3 › norm › unit`: array items named by their id where they have one. */
export function issuePath(path: readonly PropertyKey[], root: unknown): string {
  const parts: string[] = [];
  let node: unknown = root;
  for (const p of path) {
    const key = typeof p === 'symbol' ? String(p) : p;
    const next = pick(node, key);
    const id = typeof key === 'number' ? pick(next, 'id') : undefined;
    parts.push(typeof id === 'string' && id ? id : String(key));
    node = next;
  }
  return parts.join(' › ');
}

export function issueMessage(issue: CatalogIssue, t: TFunction): string {
  const i = issue as unknown as {
    code: string;
    message: string;
    params?: Record<string, unknown>;
    expected?: string;
    minimum?: number | bigint;
    maximum?: number | bigint;
    origin?: string;
    values?: unknown[];
    keys?: string[];
  };
  const code = i.params?.['code'];
  if (typeof code === 'string') return t(`catalogue:issues.${code}`, { ...i.params, defaultValue: i.message });
  switch (i.code) {
    case 'invalid_type':
      return /received undefined/.test(i.message)
        ? t('catalogue:issues.required')
        : t('catalogue:issues.type', { expected: i.expected ?? '' });
    case 'too_small':
      if (i.origin === 'string' && Number(i.minimum) === 1) return t('catalogue:issues.empty');
      return t(i.origin === 'array' ? 'catalogue:issues.tooFew' : 'catalogue:issues.tooSmall', {
        minimum: String(i.minimum),
      });
    case 'too_big':
      return t('catalogue:issues.tooBig', { maximum: String(i.maximum) });
    case 'invalid_format': {
      const known = FORMATS[i.message];
      return t(known ? `catalogue:issues.${known}` : 'catalogue:issues.format');
    }
    case 'invalid_value':
      return t('catalogue:issues.oneOf', { values: (i.values ?? []).map(String).join(', ') });
    case 'unrecognized_keys':
      return t('catalogue:issues.unknownKeys', { keys: (i.keys ?? []).join(', ') });
    default:
      return t('catalogue:issues.invalid');
  }
}

/** Every problem of a document, located and translated. */
export function issueLines(issues: readonly CatalogIssue[], root: unknown, t: TFunction): IssueLine[] {
  return issues.map((i) => ({
    where: i.path.length ? issuePath(i.path, root) : t('catalogue:issues.root'),
    what: issueMessage(i, t),
  }));
}

/** A server or desk rule's refusal (`catalog.badNorm@variants.0.deadline`), translated with where. */
export function refusalText(reason: string, root: unknown, t: TFunction): string {
  const [code = '', at] = reason.split('@');
  const what = t(`catalogue:reasons.${code.replace(/^catalog\./, '')}`, { defaultValue: reason });
  return at
    ? `${what} (${issuePath(
        at.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
        root,
      )})`
    : what;
}
