import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { homePath, useSession } from '../../state/session';
import { SignInPanel } from './SignInPanel';

/** `#/sign-in`: where sign-out leads, and the top bar's "Sign in". */
export function SignInPage(): JSX.Element {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const configured = useSession((s) => Boolean(s.office && s.desk));
  const user = useSession((s) => s.user);
  if (user) return <Navigate to={homePath(user.role)} replace />;
  return (
    <>
      <PageHeader title={t('auth:pageTitle')} />
      {configured ? (
        <SignInPanel onSignedIn={(role) => void navigate(homePath(role))} />
      ) : (
        <EmptyState title={t('data:desk.notConfiguredTitle')} description={t('data:desk.notConfigured')}>
          <Link to="/settings" className="button">
            {t('data:desk.setUp')}
          </Link>
        </EmptyState>
      )}
    </>
  );
}
