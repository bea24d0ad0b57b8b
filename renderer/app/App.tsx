import { useEffect, type JSX } from 'react';
import type { i18n as I18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { createHashRouter, redirect, RouterProvider } from 'react-router';
import { ApplicationCardPage, type CardExtra } from '../features/applications/ApplicationCard';
import { AuditTrail } from '../features/audit/AuditTrail';
import { ApplicationsPage } from '../features/applications/ApplicationsPage';
import { AuditPage } from '../features/audit/AuditPage';
import { StaffAdminPage } from '../features/admin/StaffAdminPage';
import { VisitsPage } from '../features/visits/VisitsPage';
import { AccountPage } from '../features/auth/AccountPage';
import { SignInPage } from '../features/auth/SignInPage';
import { SignInPanel } from '../features/auth/SignInPanel';
import { SignInSlot } from '../components/DeskGate';
import { CataloguePage } from '../features/catalogue/CataloguePage';
import { InboxPage } from '../features/inbox/InboxPage';
import { JournalsPage } from '../features/journals/JournalsPage';
import { ReceptionPage } from '../features/reception/ReceptionPage';
import { ReportsPage } from '../features/reports/ReportsPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { DeskProvider } from '../data';
import { getBridge } from '../platform/bridge';
import { usePreferences } from '../state/preferences';
import { homePath, useSession } from '../state/session';
import { Layout } from './Layout';

/**
 * The start page: where the signed-in person's role works (reception for nobody signed in). The
 * router decides it (a loader), not a rendered <Navigate>: that one navigates from an effect, after
 * the first paint, and on a slow start undid a navigation made meanwhile (a click, the menu, a link)
 * — the router lets a later navigation interrupt a pending redirect.
 */
const toHome = (): Response => redirect(homePath(useSession.getState().user?.role));

// Hash routes work the same from app://, a static server and a file, with no server fallback.
/** The card's audit trail comes from the audit feature; the shell joins the two. */
const auditTrail: CardExtra = (p) => <AuditTrail {...p} />;

const router = createHashRouter([
  {
    path: '/',
    element: <Layout />,
    children: [
      { index: true, loader: toHome },
      { path: 'reception', element: <ReceptionPage /> },
      { path: 'inbox', element: <InboxPage /> },
      { path: 'applications', element: <ApplicationsPage /> },
      { path: 'applications/:appId', element: <ApplicationCardPage extra={auditTrail} /> },
      { path: 'journals', element: <JournalsPage /> },
      { path: 'reports', element: <ReportsPage /> },
      { path: 'catalogue/*', element: <CataloguePage /> },
      { path: 'settings', element: <SettingsPage /> },
      { path: 'audit', element: <AuditPage /> },
      { path: 'visits', element: <VisitsPage /> },
      // Signed in already: the sign-in page leads home (after signing in there, the page itself does).
      { path: 'sign-in', element: <SignInPage />, loader: () => (useSession.getState().user ? toHome() : null) },
      { path: 'admin', element: <StaffAdminPage /> },
      { path: 'account', element: <AccountPage /> },
      { path: 'print-test', lazy: () => import('../print/PrintTestPage') },
      { path: '*', loader: toHome },
    ],
  },
]);

export function App({ i18n }: { i18n: I18n }): JSX.Element {
  const language = usePreferences((s) => s.language);
  const setLanguage = usePreferences((s) => s.setLanguage);

  useEffect(() => {
    void i18n.changeLanguage(language);
    document.documentElement.lang = language;
    void getBridge().setUiLanguage(language);
  }, [i18n, language]);

  useEffect(
    () =>
      getBridge().onMenuCommand((command) => {
        if (command.type === 'navigate') void router.navigate(`/${command.section}`);
        else setLanguage(command.language);
      }),
    [setLanguage],
  );

  return (
    <I18nextProvider i18n={i18n}>
      <DeskProvider>
        <SignInSlot.Provider value={<SignInPanel />}>
          <RouterProvider router={router} />
        </SignInSlot.Provider>
      </DeskProvider>
    </I18nextProvider>
  );
}
