import { inboxCount, useDesk, useLiveQuery } from '../data';
import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { SECTIONS } from '@shared/ipc/contract';
import { useMinuteClock } from '../components/useMinuteClock';
import { useRegional } from '../state/regional';
import { useSession } from '../state/session';

/** How much waits in this person's inbox, and how much of it is overdue: shown next to "Inbox". */
function useInboxCount(): { total: number; overdue: number } | null {
  const desk = useDesk();
  const user = useSession((s) => s.user);
  const now = useMinuteClock();
  return (
    // Counted on the indexes: no row is read, however full the inbox.
    useLiveQuery(async () => (desk && user ? inboxCount(desk, user, now) : null), [desk, user, now]) ?? null
  );
}

export function SideNav(): JSX.Element {
  const { t } = useTranslation();
  const inbox = useInboxCount();
  // A supervisor signed in for regional reports has no office here: Reports is all there is.
  const supervisor = useRegional((s) => s.user !== null);
  const sections = supervisor ? SECTIONS.filter((s) => s === 'reports') : SECTIONS;
  return (
    <nav className="sidenav" aria-label={t('nav:label')}>
      <ul>
        {sections.map((section) => (
          <li key={section}>
            <NavLink to={`/${section}`} className={({ isActive }) => (isActive ? 'active' : undefined)}>
              <span className="sidenav-label">
                {t(`nav:${section}`)}
                {section === 'inbox' && inbox && inbox.total > 0 && (
                  <span
                    className={`nav-count${inbox.overdue > 0 ? ' overdue' : ''}`}
                    title={t('nav:inboxCount', { count: inbox.total, overdue: inbox.overdue })}
                    data-testid="inbox-count"
                  >
                    {inbox.total}
                  </span>
                )}
              </span>
              <kbd className="sidenav-key" aria-hidden="true">
                {SECTIONS.indexOf(section) + 1}
              </kbd>
            </NavLink>
          </li>
        ))}
        {!supervisor && (
          <li>
            <NavLink to="/visits" className={({ isActive }) => (isActive ? 'active' : undefined)}>
              <span className="sidenav-label">{t('visits:nav')}</span>
            </NavLink>
          </li>
        )}
        {!supervisor && (
          <li>
            <NavLink to="/audit" className={({ isActive }) => (isActive ? 'active' : undefined)}>
              <span className="sidenav-label">{t('audit:nav')}</span>
            </NavLink>
          </li>
        )}
      </ul>
    </nav>
  );
}
