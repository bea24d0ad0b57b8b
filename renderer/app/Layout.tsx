import { useEffect, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useNavigate } from 'react-router';
import { SECTIONS } from '@shared/ipc/contract';
import { DeskKeyNotice } from '../features/auth/DeskKeyNotice';
import { SideNav } from './SideNav';
import { TopBar } from './TopBar';

export function Layout(): JSX.Element {
  const { t } = useTranslation();
  const navigate = useNavigate();

  // Alt+1…7 opens a section from anywhere, as the desktop menu's accelerators do.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const section = SECTIONS[Number(e.key) - 1];
      if (section === undefined) return;
      e.preventDefault();
      void navigate(`/${section}`);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('common:skipToContent')}
      </a>
      <TopBar />
      <div className="shell-body">
        <SideNav />
        <main id="main" className="shell-main" tabIndex={-1}>
          <DeskKeyNotice />
          <Outlet />
        </main>
      </div>
    </div>
  );
}
