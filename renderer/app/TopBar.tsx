import { useRef, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { flushSync, signOut, useCredentials } from '../state/credentials';
import { SessionKeeper } from '../features/auth/SessionKeeper';
import { SyncIndicator } from '../features/sync/SyncIndicator';
import { useRegional } from '../state/regional';
import { useSession } from '../state/session';
import { LanguageSwitch } from './LanguageSwitch';

export function TopBar(): JSX.Element {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { office, desk, user: deskUser } = useSession();
  const supervisor = useRegional((s) => s.user);
  const signOutSupervisor = useRegional((s) => s.signOut);
  // A supervisor signed in for regional reports is shown as the person here (no office, no desk).
  const user = supervisor
    ? { displayName: supervisor.displayName, login: supervisor.login, role: 'supervisor', mode: 'online' }
    : deskUser;
  const refused = useCredentials((s) => s.refused);
  const [leaving, setLeaving] = useState(false);
  // Sign-out first sends what the person recorded; "sign out now" stops that wait.
  const stopSending = useRef<AbortController | null>(null);
  const notSet = t('common:notConfigured');
  return (
    <header className="topbar">
      <SessionKeeper />
      <div className="brand" aria-label="Kense">
        <span className="brand-mark" aria-hidden="true">
          K
        </span>
        <span className="brand-name">Kense</span>
      </div>
      <dl className="topbar-facts">
        <div>
          <dt>{t('common:office')}</dt>
          <dd data-testid="topbar-office">{office ?? notSet}</dd>
        </div>
        <div>
          <dt>{t('common:desk')}</dt>
          <dd data-testid="topbar-desk">{desk ?? notSet}</dd>
        </div>
        <div>
          <dt>{user ? t(`settings:roles.${user.role}`) : t('common:user')}</dt>
          <dd data-testid="topbar-user" title={user ? user.login : undefined}>
            {user ? (
              // The person's own account (password change) is one click from their name.
              <Link
                to="/account"
                className="topbar-account"
                title={t('auth:account.open')}
                data-testid="topbar-account"
              >
                {user.displayName}
              </Link>
            ) : (
              t('common:notSignedIn')
            )}
          </dd>
        </div>
      </dl>
      <div className="topbar-end">
        {user && (user.mode === 'offline' || refused) && (
          <span
            className="topbar-badge"
            data-testid="topbar-offline"
            title={t(refused ? 'auth:refusedHint' : 'auth:offlineHint')}
          >
            {t(refused ? 'auth:refused' : 'auth:offline')}
          </span>
        )}
        {user?.role === 'office_admin' && (
          <Link to="/admin" className="button" data-testid="topbar-admin">
            {t('auth:staff')}
          </Link>
        )}
        <SyncIndicator />
        <LanguageSwitch />
        {supervisor ? (
          <button
            type="button"
            onClick={() => {
              signOutSupervisor();
              void navigate('/reports');
            }}
            data-testid="sign-out"
          >
            {t('auth:signOut')}
          </button>
        ) : user ? (
          <>
            <button
              type="button"
              disabled={leaving}
              title={leaving ? t('auth:signingOutHint') : undefined}
              onClick={() => {
                setLeaving(true);
                const abort = new AbortController();
                stopSending.current = abort;
                void flushSync({ signal: abort.signal }).then(() => {
                  stopSending.current = null;
                  signOut();
                  setLeaving(false);
                  void navigate('/sign-in');
                });
              }}
              data-testid="sign-out"
            >
              {t(leaving ? 'auth:signingOut' : 'auth:signOut')}
            </button>
            {leaving && (
              <button type="button" onClick={() => stopSending.current?.abort()} data-testid="sign-out-now">
                {t('auth:signOutNow')}
              </button>
            )}
          </>
        ) : (
          office &&
          desk && (
            <Link to="/sign-in" className="button" data-testid="topbar-sign-in">
              {t('auth:signIn')}
            </Link>
          )
        )}
      </div>
    </header>
  );
}
