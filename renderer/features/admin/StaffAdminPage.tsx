import { useEffect, useRef, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { GRANTABLE_ROLES } from '@shared/couch';
import { LOGIN_PATTERN } from '@shared/auth';
import { MIN_PASSWORD_LENGTH, type StaffAccount } from '@shared/staff';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { useCentralServiceUrl } from '../../state/centralService';
import { useCredentials } from '../../state/credentials';
import { useSession } from '../../state/session';
import {
  addStaff,
  listStaff,
  resetStaffPassword,
  setStaffActive,
  StaffApiError,
  updateStaff,
  type ServiceAuth,
} from '../../data';

type GrantableRole = (typeof GRANTABLE_ROLES)[number];
const grantable = (r: string): r is GrantableRole => (GRANTABLE_ROLES as readonly string[]).includes(r);
type Show = 'active' | 'inactive' | 'all';

/** What the admin is doing to one person's row, besides the role boxes. */
type RowTask = { login: string; kind: 'deactivate' } | { login: string; kind: 'password' };

/**
 * Office admin (мекеме әкімшісі / администратор учреждения): the office's staff, through the Kense
 * central service (staffApi.ts): list (active and deactivated), add, assign roles, deactivate and
 * re-enable, reset a password. The office hub's technical account is listed apart, not as a
 * person with roles. Every refusal is said in the UI language; nothing typed is lost with it.
 */
export function StaffAdminPage(): JSX.Element {
  const { t } = useTranslation();
  const user = useSession((s) => s.user);
  const office = useSession((s) => s.office);
  const password = useCredentials((s) => s.password);
  const service = useCentralServiceUrl();
  const [staff, setStaff] = useState<StaffAccount[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [shown, setShown] = useState<{ login: string; password: string } | null>(null);
  const [show, setShow] = useState<Show>('active');
  const [task, setTask] = useState<RowTask | null>(null);
  const [typedPassword, setTypedPassword] = useState('');
  // The form for a new person.
  const [login, setLogin] = useState('');
  const [fullName, setFullName] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [roles, setRoles] = useState<GrantableRole[]>(['clerk']);
  const [busy, setBusy] = useState(false);
  const [version, setVersion] = useState(0);
  // A generated password is shown once: brought into view wherever the admin was on the page.
  const shownRef = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (shown) shownRef.current?.scrollIntoView({ block: 'center' });
  }, [shown]);

  const adminLogin = user?.login ?? null;
  const auth: ServiceAuth | null = service && adminLogin && password ? { service, login: adminLogin, password } : null;

  useEffect(() => {
    if (!service || !adminLogin || !password || !office) return;
    let live = true;
    listStaff({ service, login: adminLogin, password }, office).then(
      (list) => {
        if (!live) return;
        setStaff(list.staff);
      },
      (e: unknown) => {
        if (live) setError(e instanceof StaffApiError ? e.code : 'failed');
      },
    );
    return () => {
      live = false;
    };
  }, [service, adminLogin, password, office, version]);

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

  const message = (code: string): string =>
    t(`auth:admin.error.${code}`, { url: service, defaultValue: t('auth:admin.error.failed') });

  /**
   * Runs one change, then reads the list again (on failure too: a row changed ahead of the answer
   * shows what the server holds); the new-person form stays as it was on failure.
   */
  const run = (what: () => Promise<unknown>, done: () => void): void => {
    setBusy(true);
    setError(null);
    setSaved(null);
    void what()
      .then(done)
      .catch((e: unknown) => setError(e instanceof StaffApiError ? e.code : 'failed'))
      .finally(() => {
        setBusy(false);
        setVersion((v) => v + 1);
      });
  };

  const people = (staff ?? []).filter((s) => s.kind === 'person');
  const technical = (staff ?? []).filter((s) => s.kind === 'hub');
  const listed = people.filter((s) => show === 'all' || (show === 'active') === s.active);
  const inactiveCount = people.filter((s) => !s.active).length;

  const loginOk = LOGIN_PATTERN.test(login);
  const passwordOk = newPassword === '' || newPassword.length >= MIN_PASSWORD_LENGTH;
  const ok = loginOk && fullName.trim().length > 1 && passwordOk && roles.length > 0;
  const typedOk = typedPassword.length >= MIN_PASSWORD_LENGTH;

  return (
    <>
      <PageHeader title={t('auth:admin.title')} />
      {error && (
        <p className="field-error card" role="alert" data-testid="admin-error">
          {message(error)}
        </p>
      )}
      {saved && (
        <p className="card" role="status" data-testid="admin-saved">
          {t('auth:admin.saved', { login: saved })}
        </p>
      )}
      {shown && (
        <section ref={shownRef} className="card temporary-password" role="status" data-testid="admin-temporary">
          <p>{t('auth:admin.temporaryFor', { login: shown.login })}</p>
          <p className="mono temporary-value" data-testid="admin-temporary-password">
            {shown.password}
          </p>
          <p className="note">{t('auth:admin.temporaryNote')}</p>
          <div className="actions">
            <button type="button" onClick={() => setShown(null)} data-testid="admin-temporary-done">
              {t('auth:admin.temporaryDone')}
            </button>
          </div>
        </section>
      )}
      <section className="card staff-card">
        <h2>{t('auth:admin.listTitle', { office })}</h2>
        {staff && (
          <div className="actions staff-show" role="group" aria-label={t('auth:admin.show.label')}>
            {(['active', 'inactive', 'all'] as const).map((s) => (
              <button
                key={s}
                type="button"
                aria-pressed={show === s}
                onClick={() => setShow(s)}
                data-testid={`staff-show-${s}`}
              >
                {t(`auth:admin.show.${s}`, { count: s === 'inactive' ? inactiveCount : undefined })}
              </button>
            ))}
          </div>
        )}
        {staff === null && !error && <p className="note">{t('auth:admin.loading')}</p>}
        {staff && listed.length === 0 && (
          <p className="note" data-testid="staff-none">
            {t(`auth:admin.none.${show}`)}
          </p>
        )}
        {listed.length > 0 && (
          <table className="journal-table staff-table" data-testid="staff-list">
            <thead>
              <tr>
                <th>{t('auth:login')}</th>
                <th>{t('auth:admin.fullName')}</th>
                {GRANTABLE_ROLES.map((r) => (
                  <th key={r}>{t(`settings:roles.${r}`)}</th>
                ))}
                <th>{t('auth:admin.otherRoles')}</th>
                <th>{t('auth:admin.status')}</th>
                <th>{t('auth:admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {listed.map((s) => {
                const editable = s.manageable && s.active;
                const held = s.roles.filter(grantable);
                return (
                  <tr key={s.login} data-testid={`staff-${s.login}`} className={s.active ? undefined : 'inactive'}>
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
                            const next = e.target.checked ? [...held, r] : held.filter((x) => x !== r);
                            if (next.length === 0) {
                              setError('noRole');
                              return;
                            }
                            // Shown at once; the list read after the answer says what the server holds.
                            setStaff((all) =>
                              (all ?? []).map((x) =>
                                x.login === s.login
                                  ? { ...x, roles: [...next, ...x.roles.filter((r) => !grantable(r))] }
                                  : x,
                              ),
                            );
                            run(
                              () => updateStaff(auth, s.login, { roles: next }),
                              () => setSaved(s.login),
                            );
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
                    <td data-testid={`staff-${s.login}-status`}>
                      {t(s.active ? 'auth:admin.active' : 'auth:admin.inactive')}
                    </td>
                    <td className="staff-actions">
                      {s.manageable && s.active && task?.login !== s.login && (
                        <>
                          <button
                            type="button"
                            disabled={busy}
                            onClick={() => {
                              setTask({ login: s.login, kind: 'password' });
                              setTypedPassword('');
                            }}
                            data-testid={`staff-${s.login}-password`}
                          >
                            {t('auth:admin.resetPassword')}
                          </button>
                          <button
                            type="button"
                            disabled={busy}
                            onClick={() => setTask({ login: s.login, kind: 'deactivate' })}
                            data-testid={`staff-${s.login}-deactivate`}
                          >
                            {t('auth:admin.deactivate')}
                          </button>
                        </>
                      )}
                      {task?.login === s.login && task.kind === 'deactivate' && (
                        <span className="staff-confirm">
                          <span>{t('auth:admin.deactivateConfirm', { name: s.fullName || s.login })}</span>
                          <button
                            type="button"
                            className="danger"
                            disabled={busy}
                            onClick={() =>
                              run(
                                () => setStaffActive(auth, s.login, false),
                                () => {
                                  setTask(null);
                                  setSaved(s.login);
                                },
                              )
                            }
                            data-testid={`staff-${s.login}-deactivate-confirm`}
                          >
                            {t('auth:admin.deactivate')}
                          </button>
                          <button type="button" onClick={() => setTask(null)}>
                            {t('auth:admin.cancel')}
                          </button>
                        </span>
                      )}
                      {task?.login === s.login && task.kind === 'password' && (
                        <form
                          className="staff-confirm"
                          onSubmit={(e) => {
                            e.preventDefault();
                            if (!typedOk || busy) return;
                            run(
                              () => resetStaffPassword(auth, s.login, typedPassword),
                              () => {
                                setTask(null);
                                setTypedPassword('');
                                setSaved(s.login);
                              },
                            );
                          }}
                        >
                          <button
                            type="button"
                            className="primary"
                            disabled={busy}
                            onClick={() =>
                              run(
                                () =>
                                  resetStaffPassword(auth, s.login).then((c) => {
                                    if (c.temporaryPassword)
                                      setShown({ login: s.login, password: c.temporaryPassword });
                                  }),
                                () => setTask(null),
                              )
                            }
                            data-testid={`staff-${s.login}-password-generate`}
                          >
                            {t('auth:admin.generate')}
                          </button>
                          <label className="field">
                            <span>{t('auth:admin.orType')}</span>
                            <input
                              type="password"
                              autoComplete="new-password"
                              value={typedPassword}
                              onChange={(e) => setTypedPassword(e.target.value)}
                              data-testid={`staff-${s.login}-password-input`}
                            />
                            {typedPassword && !typedOk && (
                              <span className="field-error">{t('auth:admin.passwordHint')}</span>
                            )}
                          </label>
                          <button
                            type="submit"
                            disabled={!typedOk || busy}
                            data-testid={`staff-${s.login}-password-set`}
                          >
                            {t('auth:admin.setPassword')}
                          </button>
                          <button type="button" onClick={() => setTask(null)}>
                            {t('auth:admin.cancel')}
                          </button>
                        </form>
                      )}
                      {s.manageable && !s.active && (
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() =>
                            run(
                              () => setStaffActive(auth, s.login, true),
                              () => setSaved(s.login),
                            )
                          }
                          data-testid={`staff-${s.login}-activate`}
                        >
                          {t('auth:admin.activate')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {technical.length > 0 && (
          <p className="note" data-testid="staff-technical">
            {t('auth:admin.technical', { logins: technical.map((s) => s.login).join(', ') })}
          </p>
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
            const added = login;
            run(
              () =>
                addStaff(auth, office, {
                  login,
                  fullName: fullName.trim(),
                  roles,
                  ...(newPassword ? { password: newPassword } : {}),
                }).then((c) => {
                  if (c.temporaryPassword) setShown({ login: added, password: c.temporaryPassword });
                }),
              () => {
                setSaved(added);
                setLogin('');
                setFullName('');
                setNewPassword('');
                setRoles(['clerk']);
                setShow('active');
              },
            );
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
          <label className={`field${passwordOk ? '' : ' invalid'}`}>
            <span>{t('auth:admin.initialPassword')}</span>
            <input
              type="password"
              value={newPassword}
              onChange={(e) => setNewPassword(e.target.value)}
              autoComplete="new-password"
              data-testid="staff-password"
            />
            {passwordOk ? (
              <span className="note">{t('auth:admin.initialPasswordNote')}</span>
            ) : (
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
