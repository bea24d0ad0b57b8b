import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { SECTIONS } from '@shared/ipc/contract';

export function SideNav(): JSX.Element {
  const { t } = useTranslation();
  return (
    <nav className="sidenav" aria-label={t('nav:label')}>
      <ul>
        {SECTIONS.map((section, i) => (
          <li key={section}>
            <NavLink to={`/${section}`} className={({ isActive }) => (isActive ? 'active' : undefined)}>
              <span className="sidenav-label">{t(`nav:${section}`)}</span>
              <kbd className="sidenav-key" aria-hidden="true">
                {i + 1}
              </kbd>
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
