import { useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { CODE_PATTERN } from '@shared/events';
import { endSession } from '../../state/credentials';
import { useSession } from '../../state/session';
import { useSyncStatus } from '../../state/sync';

function urlOk(url: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

/**
 * The desk's identity: office and desk codes (they make the registration numbers) and the central
 * server people sign in against. Who works here is whoever signs in. Once someone is signed in,
 * only an office admin may change it; changing office or desk signs the current person out.
 */
export function DeskSetup(): JSX.Element {
  const { t } = useTranslation();
  const session = useSession();
  const [office, setOffice] = useState(session.office ?? '');
  const [desk, setDesk] = useState(session.desk ?? '');
  const [server, setServer] = useState(session.server ?? '');
  const [saved, setSaved] = useState(false);
  const locked = session.user !== null && session.user.role !== 'office_admin';
  const officeOk = CODE_PATTERN.test(office);
  const deskOk = CODE_PATTERN.test(desk);
  const serverOk = server.trim() === '' || urlOk(server.trim());
  const ok = officeOk && deskOk && serverOk && !locked;

  return (
    <section className="card">
      <h2>{t('settings:desk.title')}</h2>
      <form
        className="grid-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (!ok) return;
          const changed = office !== session.office || desk !== session.desk;
          if (changed && session.user) endSession();
          const url = server.trim().replace(/\/+$/, '') || null;
          // A new central is also the sync target (the office hub, if any, is set under Sync).
          if (url !== session.server) {
            const sync = useSyncStatus.getState();
            sync.setTargets(url ? { central: url, hub: sync.targets?.hub ?? null } : null);
            if (session.user && !changed) endSession();
          }
          session.configureDesk(office, desk, url);
          setSaved(true);
        }}
        data-testid="desk-setup"
      >
        <label className={`field${office && !officeOk ? ' invalid' : ''}`}>
          <span>{t('settings:desk.office')}</span>
          <input
            value={office}
            disabled={locked}
            onChange={(e) => setOffice(e.target.value.toUpperCase())}
            placeholder={t('settings:desk.officeExample')}
            data-testid="setup-office"
          />
          {office && !officeOk && <span className="field-error">{t('settings:desk.codeHint')}</span>}
        </label>
        <label className={`field${desk && !deskOk ? ' invalid' : ''}`}>
          <span>{t('settings:desk.desk')}</span>
          <input
            value={desk}
            disabled={locked}
            onChange={(e) => setDesk(e.target.value.toUpperCase())}
            placeholder={t('settings:desk.deskExample')}
            data-testid="setup-desk"
          />
          {desk && !deskOk && <span className="field-error">{t('settings:desk.codeHint')}</span>}
        </label>
        <label className={`field wide${!serverOk ? ' invalid' : ''}`}>
          <span>{t('settings:desk.server')}</span>
          <input
            value={server}
            disabled={locked}
            onChange={(e) => setServer(e.target.value)}
            placeholder={t('settings:desk.serverExample')}
            data-testid="setup-server"
          />
          {!serverOk && <span className="field-error">{t('settings:sync.urlHint')}</span>}
        </label>
        <p className="note wide">{locked ? t('settings:desk.lockedNote') : t('settings:desk.serverNote')}</p>
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
