import { useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { CODE_PATTERN, STAFF_ROLES, type StaffRole } from '@shared/events';
import { useSession } from '../../state/session';

/**
 * The desk's identity: office and desk codes (they make the registration numbers) and who works
 * here. Until staff accounts arrive this is set by hand; the server still checks every write.
 */
export function DeskSetup(): JSX.Element {
  const { t } = useTranslation();
  const session = useSession();
  const [office, setOffice] = useState(session.office ?? '');
  const [desk, setDesk] = useState(session.desk ?? '');
  const [login, setLogin] = useState(session.user?.login ?? '');
  const [displayName, setDisplayName] = useState(session.user?.displayName ?? '');
  const [role, setRole] = useState<StaffRole>(session.user?.role ?? 'clerk');
  const [saved, setSaved] = useState(false);
  const officeOk = CODE_PATTERN.test(office);
  const deskOk = CODE_PATTERN.test(desk);
  const loginOk = /^[a-z0-9._-]{2,64}$/.test(login);
  const ok = officeOk && deskOk && loginOk && displayName.trim().length > 1;

  return (
    <section className="card">
      <h2>{t('settings:desk.title')}</h2>
      <form
        className="grid-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (!ok) return;
          session.configure(office, desk, { login, displayName: displayName.trim(), role });
          setSaved(true);
        }}
        data-testid="desk-setup"
      >
        <label className={`field${office && !officeOk ? ' invalid' : ''}`}>
          <span>{t('settings:desk.office')}</span>
          <input
            value={office}
            onChange={(e) => setOffice(e.target.value.toUpperCase())}
            placeholder="ALM01"
            data-testid="setup-office"
          />
          {office && !officeOk && <span className="field-error">{t('settings:desk.codeHint')}</span>}
        </label>
        <label className={`field${desk && !deskOk ? ' invalid' : ''}`}>
          <span>{t('settings:desk.desk')}</span>
          <input
            value={desk}
            onChange={(e) => setDesk(e.target.value.toUpperCase())}
            placeholder="D01"
            data-testid="setup-desk"
          />
          {desk && !deskOk && <span className="field-error">{t('settings:desk.codeHint')}</span>}
        </label>
        <label className={`field${login && !loginOk ? ' invalid' : ''}`}>
          <span>{t('settings:desk.login')}</span>
          <input
            value={login}
            onChange={(e) => setLogin(e.target.value.toLowerCase())}
            autoComplete="off"
            data-testid="setup-login"
          />
          {login && !loginOk && <span className="field-error">{t('settings:desk.loginHint')}</span>}
        </label>
        <label className="field">
          <span>{t('settings:desk.displayName')}</span>
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} data-testid="setup-name" />
        </label>
        <label className="field">
          <span>{t('settings:desk.role')}</span>
          <select value={role} onChange={(e) => setRole(e.target.value as StaffRole)} data-testid="setup-role">
            {STAFF_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`settings:roles.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <div className="actions wide">
          <button type="submit" className="primary" disabled={!ok} data-testid="setup-save">
            {t('settings:desk.save')}
          </button>
          {saved && <span role="status">{t('settings:desk.saved')}</span>}
        </div>
      </form>
    </section>
  );
}
