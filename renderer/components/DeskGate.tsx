import { createContext, useContext, type JSX, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Catalogue } from '@shared/catalogue';
import { useDeskStatus, type Desk } from '../data';
import { useSession, type DeskUser } from '../state/session';
import { EmptyState } from './EmptyState';

/**
 * The sign-in form shown in place of a section while nobody is signed in. The app shell provides
 * it (features/auth): components do not import features.
 */
export const SignInSlot = createContext<ReactNode>(null);

/**
 * Shows a section's content once the desk's data is open; until then, says plainly why not:
 * not set up, nobody signed in (the sign-in form, right here), still opening (with the rebuild's
 * progress), or a storage or catalogue error.
 */
export function DeskGate({
  children,
}: {
  children: (desk: Desk, user: DeskUser, catalogue: Catalogue) => JSX.Element;
}): JSX.Element {
  const { t } = useTranslation();
  const { status, catalogue, catalogueError } = useDeskStatus();
  const user = useSession((s) => s.user);
  const signIn = useContext(SignInSlot);
  if (catalogueError)
    return (
      <section className="card error-panel" role="alert">
        <h2>{t('data:catalogue.invalidTitle')}</h2>
        <pre className="error-detail">{catalogueError}</pre>
      </section>
    );
  if (status.state === 'notConfigured' || !catalogue)
    return (
      <EmptyState title={t('data:desk.notConfiguredTitle')} description={t('data:desk.notConfigured')}>
        <Link to="/settings" className="button">
          {t('data:desk.setUp')}
        </Link>
      </EmptyState>
    );
  if (!user) return <>{signIn}</>;
  // Signed in before a reload: the keys that open the desk's data were in memory only.
  if (status.state === 'locked')
    return (
      <>
        <p className="note" role="status" data-testid="desk-locked">
          {t('data:desk.locked')}
        </p>
        {signIn}
      </>
    );
  if (status.state === 'opening')
    return (
      <section className="card" role="status" data-testid="desk-opening">
        <h2>{t('data:rebuild.title')}</h2>
        {status.progress && (
          <>
            <progress max={status.progress.total || 1} value={status.progress.processed} />
            <p>{t('data:rebuild.progress', { ...status.progress })}</p>
          </>
        )}
      </section>
    );
  if (status.state === 'error')
    return (
      <section className="card error-panel" role="alert">
        <h2>{t('data:desk.errorTitle')}</h2>
        <p>{t(status.code)}</p>
      </section>
    );
  return children(status.desk, user, catalogue);
}
