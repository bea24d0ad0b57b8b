import { useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { MIN_PASSWORD_LENGTH } from '@shared/staff';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { startSession } from '../../state/credentials';
import { useSession } from '../../state/session';
import { changeOwnPassword, type ChangeFailure } from '../../data';

/**
 * The signed-in person's own account (reached from their name in the top bar): change the
 * password, on central and in this desk's offline verifier at once (changePassword.ts). What was
 * typed stays in the form when the server refuses or cannot be reached.
 */
export function AccountPage(): JSX.Element {
  const { t } = useTranslation();
  const user = useSession((s) => s.user);
  const office = useSession((s) => s.office);
  const server = useSession((s) => s.server);
  const [oldPassword, setOldPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ChangeFailure | null>(null);
  const [done, setDone] = useState(false);

  if (!user)
    return (
      <>
        <PageHeader title={t('auth:account.title')} />
        <EmptyState title={t('auth:account.signInFirstTitle')} description={t('auth:account.signInFirst')}>
          <Link to="/sign-in" className="button">
            {t('auth:signIn')}
          </Link>
        </EmptyState>
      </>
    );

  const longEnough = newPassword.length >= MIN_PASSWORD_LENGTH;
  const matches = newPassword === repeat;
  const ready = oldPassword.length > 0 && longEnough && matches && !busy;

  return (
    <>
      <PageHeader title={t('auth:account.title')} />
      <section className="card signin">
        <h2>{t('auth:account.passwordTitle')}</h2>
        <p className="note">{t('auth:account.who', { name: user.displayName, login: user.login })}</p>
        <form
          className="grid-2"
          data-testid="password-change"
          onSubmit={(e) => {
            e.preventDefault();
            if (!ready) return;
            setBusy(true);
            setFailure(null);
            setDone(false);
            void changeOwnPassword({ server, office, login: user.login, oldPassword, newPassword })
              .then((r) => {
                if (!r.ok) return setFailure(r.code);
                // The sync goes on with the new password (the old one no longer opens the server).
                startSession(user.login, newPassword);
                setOldPassword('');
                setNewPassword('');
                setRepeat('');
                setDone(true);
              })
              .finally(() => setBusy(false));
          }}
        >
          <label className="field wide">
            <span>{t('auth:account.oldPassword')}</span>
            <input
              type="password"
              autoComplete="current-password"
              value={oldPassword}
              onChange={(e) => setOldPassword(e.target.value)}
              data-testid="password-old"
            />
          </label>
          <label className={`field${newPassword && !longEnough ? ' invalid' : ''}`}>
            <span>{t('auth:account.newPassword')}</span>
            <input
              type="password"
              autoComplete="new-password"
              value={newPassword}
              onChange={(e) => setNewPassword(e.target.value)}
              data-testid="password-new"
            />
            {newPassword && !longEnough && <span className="field-error">{t('auth:admin.passwordHint')}</span>}
          </label>
          <label className={`field${repeat && !matches ? ' invalid' : ''}`}>
            <span>{t('auth:account.repeatPassword')}</span>
            <input
              type="password"
              autoComplete="new-password"
              value={repeat}
              onChange={(e) => setRepeat(e.target.value)}
              data-testid="password-repeat"
            />
            {repeat && !matches && <span className="field-error">{t('auth:account.mismatch')}</span>}
          </label>
          {failure && (
            <p className="field-error wide" role="alert" data-testid="password-error">
              {t(`auth:account.error.${failure}`)}
            </p>
          )}
          {done && (
            <p className="hint ok wide" role="status" data-testid="password-changed">
              {t('auth:account.changed')}
            </p>
          )}
          <div className="actions wide">
            <button type="submit" className="primary" disabled={!ready} data-testid="password-submit">
              {busy ? t('auth:checking') : t('auth:account.submit')}
            </button>
          </div>
        </form>
      </section>
    </>
  );
}
