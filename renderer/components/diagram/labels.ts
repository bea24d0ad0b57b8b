import type { TFunction } from 'i18next';
import type { Extension, Norm, Step, TermChange } from '@shared/catalogue';

/** A norm as people read it: "5 жұмыс күні, тіркелген күннен бастап" / "5 рабочих дней с регистрации". */
export function normLabel(norm: Norm | null, t: TFunction): string {
  if (!norm) return t('catalogue:norm.none');
  const amount = t(`catalogue:norm.${norm.unit}`, { count: norm.value });
  return norm.from === 'registration' ? `${amount}, ${t('catalogue:norm.fromRegistration')}` : amount;
}

/** A norm as short as a diagram box needs: "≤ 5 жұм. күн, тіркеуден" / "≤ 5 раб. дн., с рег.". */
export function normShort(norm: Norm, t: TFunction): string {
  const amount = t(`catalogue:normShort.${norm.unit}`, { count: norm.value });
  return norm.from === 'registration' ? `${amount}, ${t('catalogue:normShort.fromRegistration')}` : amount;
}

/**
 * What an extension changes, read from its data: "общий срок — 20 рабочих дней; шаг 7 — 20 рабочих
 * дней, с регистрации" / "общий срок продлевается на 1 месяц".
 */
export function extensionEffects(x: Extension, steps: readonly Step[], t: TFunction): string[] {
  const change = (c: TermChange, key: 'Deadline' | 'Step', n?: string): string =>
    c.set
      ? t(`catalogue:detail.extension${key}Set`, { n, norm: normLabel(c.set, t) })
      : t(`catalogue:detail.extension${key}Add`, { n, norm: normLabel(c.add ?? null, t) });
  return [
    ...(x.deadline ? [change(x.deadline, 'Deadline')] : []),
    ...Object.entries(x.steps ?? {}).map(([id, c]) => change(c, 'Step', steps.find((s) => s.id === id)?.n ?? id)),
  ];
}

/** The regulation's post (step.role), translated; a post the app has no name for is shown as written. */
export function postLabel(code: string, t: TFunction): string {
  return t(`catalogue:posts.${code}`, { defaultValue: code });
}

/** Working minutes as "45 min", "2.5 h" or "3.1 days" (of 8 working hours), as the card says them. */
export function durationLabel(minutes: number | null, t: TFunction): string {
  if (minutes === null) return '—';
  const m = Math.round(minutes);
  if (m < 60) return t('card:duration.minutes', { count: m });
  if (m < 480) return t('card:duration.hours', { count: Math.round(m / 6) / 10 });
  return t('card:duration.days', { count: Math.round(m / 48) / 10 });
}

/** Cuts a text to whole words within `max` characters per line, at most `lines` lines (an ellipsis marks the cut). */
export function wrapText(text: string, max: number, lines: number): string[] {
  const words = text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  const out: string[] = [];
  let line = '';
  let i = 0;
  for (; i < words.length; i++) {
    const w = words[i]!;
    const next = line ? `${line} ${w}` : w;
    if (next.length <= max) {
      line = next;
      continue;
    }
    if (line) out.push(line);
    if (out.length === lines) {
      line = '';
      break;
    }
    line = w.length > max ? `${w.slice(0, max - 1)}…` : w;
  }
  if (line) out.push(line);
  if (i < words.length && out.length > 0) {
    const last = out[out.length - 1]!;
    out[out.length - 1] = `${last.length >= max ? last.slice(0, max - 1) : last}…`;
  }
  return out;
}
