import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditReport } from '@shared/audit';
import { EVENT_KINDS } from '@shared/events';

export const EVENT_KINDS_SHOWN: ReadonlySet<string> = new Set(EVENT_KINDS);

/** What the card says about one event: the last check's verdict, or what is known without one. */
export type ShownStatus = 'ok' | 'tampered' | 'beforeChain' | 'unchecked';

export function eventAuditStatus(doc: { _id: string; chain?: unknown }, report: AuditReport | null): ShownStatus {
  const verdict = report?.status[doc._id];
  if (verdict) return verdict;
  // Without a check (or for an event that arrived after it): a missing link is known at a glance.
  return doc['chain'] === undefined ? 'beforeChain' : 'unchecked';
}

export function ChainBadge({ status }: { status: ShownStatus }): JSX.Element {
  const { t } = useTranslation();
  return (
    <span className={`chain-badge ${status}`} data-testid="chain-badge" title={t(`audit:badge.${status}Hint`)}>
      {t(`audit:badge.${status}`)}
    </span>
  );
}
