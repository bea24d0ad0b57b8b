import { useEffect, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { GRANTABLE_ROLES } from '@shared/couch';
import { LOGIN_PATTERN } from '@shared/auth';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { useSession } from '../../state/session';
import { useCredentials } from '../../state/credentials';
import { listStaff, saveStaff, StaffApiError, type GrantableRole, type StaffAccount } from './staffApi';

const grantable = (r: string): r is GrantableRole => (GRANTABLE_ROLES as readonly string[]).includes(r);

/**
 * Office admin (мекеме әкімшісі / администратор учреждения): the office's staff, new accounts and
 * their roles, written to CouchDB's `_users` through the server, which confines an office admin
 * to their own office and to the grantable roles (shared/couch/validateUserDoc.ts).
 */
export function StaffAdminPage(): JSX.Element {
  const { t } = useTranslation();
  const user = useSession((s) => s.user);
  const office = useSession((s) => s.office);
  const server = useSession((s) => s.server);
  const password = useCredentials((s) => s.password);
  const [staff, setStaff] = useState<StaffAccount[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [login, setLogin] = useState('');
  const [fullName, setFullName] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [roles, setRoles] = useState<GrantableRole[]>(['clerk']);
  const [busy, setBusy] = useState(false);

  const auth = user && server && password ? { server, login: user.login, password } : null;
  const codeOf = (e: unknown): string => (e instanceof StaffApiError ? e.code : 'failed');
  const message = (code: string): string =>
    t(`auth:admin.error.${code.replace('users.', '')}`, { defaultValue: t('auth:admin.error.failed') });

  const [version, setVersion] = useState(0);
  const reload = (): void => setVersion((v) => v + 1);
  const adminLogin = user?.login ?? null;

  useEffect(() => {
    if (!server || !adminLogin || !password || !office) return;
    let live = true;
    listStaff({ server, login: adminLogin, password }, office).then(
      (list) => {
        if (live) setStaff(list);
      },
      (e: unknown) => {
        if (live) setError(e instanceof StaffApiError ? e.code : 'failed');
      },
    );
    return () => {
      live = false;
    };
  }, [server, adminLogin, password, office, version]);

  if (!user || user.role !== 'office_admin')
    return (
      <>
        <PageHeader title={t('auth:admin.title')} />
        <EmptyState title={t('auth:admin.onlyAdminTitle')} description={t('auth:admin.onlyAdmin')} />
      </>
    );
  if (!auth || !office)
    return (
      <>
        <PageHeader title={t('auth:admin.title')} />
        <EmptyState title={t('auth:admin.needServerTitle')} description={t('auth:admin.needServer')} />
      </>
    );

  const loginOk = LOGIN_PATTERN.test(login);
  const ok = loginOk && fullName.trim().length > 1 && newPassword.length >= 8 && roles.length > 0;

  return (
    <>
      <PageHeader title={t('auth:admin.title')} />
      <section className="card">
        <h2>{t('auth:admin.listTitle', { office })}</h2>
        {error && (
          <p className="field-error" role="alert" data-testid="admin-error">
            {message(error)}
          </p>
        )}
        {saved && (
          <p role="status" data-testid="admin-saved">
            {t('auth:admin.saved', { login: saved })}
          </p>
        )}
        {staff && (
          <table className="journal-table" data-testid="staff-list">
            <thead>
              <tr>
                <th>{t('auth:login')}</th>
                <th>{t('auth:admin.fullName')}</th>
                {GRANTABLE_ROLES.map((r) => (
                  <th key={r}>{t(`settings:roles.${r}`)}</th>
                ))}
                <th>{t('auth:admin.otherRoles')}</th>
              </tr>
            </thead>
            <tbody>
              {staff.map((s) => {
                const editable = s.login !== user.login && s.roles.every(grantable) && s.offices.length === 1;
                return (
                  <tr key={s.login} data-testid={`staff-${s.login}`}>
                    <td>{s.login}</td>
                    <td>{s.fullName}</td>
                    {GRANTABLE_ROLES.map((r) => (
                      <td key={r}>
                        <input
                          type="checkbox"
                          aria-label={`${s.login}: ${t(`settings:roles.${r}`)}`}
                          checked={s.roles.includes(r)}
                          disabled={!editable || busy}
                          data-testid={`staff-${s.login}-${r}`}
                          onChange={(e) => {
                            const next = (e.target.checked ? [...s.roles, r] : s.roles.filter((x) => x !== r)).filter(
                              grantable,
                            );
                            setBusy(true);
                            setError(null);
                            void saveStaff(auth, office, { login: s.login, fullName: s.fullName, roles: next })
                              .then(() => setSaved(s.login))
                              .catch((err: unknown) => setError(codeOf(err)))
                              .then(reload)
                              .finally(() => setBusy(false));
                          }}
                        />
                      </td>
                    ))}
                    <td>
                      {s.roles
                        .filter((r) => !grantable(r))
                        .map((r) => t(`settings:roles.${r}`))
                        .join(', ')}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      <section className="card">
        <h2>{t('auth:admin.addTitle')}</h2>
        <form
          className="grid-2"
          data-testid="staff-add"
          onSubmit={(e) => {
            e.preventDefault();
            if (!ok || busy) return;
            setBusy(true);
            setError(null);
            setSaved(null);
            const added = login;
            void saveStaff(auth, office, { login, fullName, roles, password: newPassword })
              .then(() => {
                setSaved(added);
                setLogin('');
                setFullName('');
                setNewPassword('');
                setRoles(['clerk']);
              })
              .catch((err: unknown) => setError(codeOf(err)))
              .then(reload)
              .finally(() => setBusy(false));
          }}
        >
          <label className={`field${login && !loginOk ? ' invalid' : ''}`}>
            <span>{t('auth:login')}</span>
            <input
              value={login}
              onChange={(e) => setLogin(e.target.value.toLowerCase())}
              autoComplete="off"
              data-testid="staff-login"
            />
            {login && !loginOk && <span className="field-error">{t('auth:admin.loginHint')}</span>}
          </label>
          <label className="field">
            <span>{t('auth:admin.fullName')}</span>
            <input value={fullName} onChange={(e) => setFullName(e.target.value)} data-testid="staff-name" />
          </label>
          <label className={`field${newPassword && newPassword.length < 8 ? ' invalid' : ''}`}>
            <span>{t('auth:admin.initialPassword')}</span>
            <input
              type="password"
              value={newPassword}
              onChange={(e) => setNewPassword(e.target.value)}
              autoComplete="new-password"
              data-testid="staff-password"
            />
            {newPassword && newPassword.length < 8 && (
              <span className="field-error">{t('auth:admin.passwordHint')}</span>
            )}
          </label>
          <fieldset className="radio-group staff-roles">
            <legend>{t('auth:admin.roles')}</legend>
            {GRANTABLE_ROLES.map((r) => (
              <label key={r}>
                <input
                  type="checkbox"
                  checked={roles.includes(r)}
                  onChange={(e) => setRoles(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))}
                  data-testid={`staff-role-${r}`}
                />
                <span>{t(`settings:roles.${r}`)}</span>
              </label>
            ))}
          </fieldset>
          <div className="actions wide">
            <button type="submit" className="primary" disabled={!ok || busy} data-testid="staff-save">
              {t('auth:admin.add')}
            </button>
          </div>
        </form>
      </section>
    </>
  );
}
