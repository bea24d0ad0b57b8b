import { useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { defaultCentralServiceUrl } from '@shared/staff';
import { useCentralServiceSetting } from '../../state/centralService';
import { useCredentials } from '../../state/credentials';
import { useSession } from '../../state/session';
import { parseServerUrl, useSyncStatus } from '../../state/sync';

/**
 * The servers this desk syncs with, at once: central (its address is the one set for the desk
 * above: people sign in against it, and the desk syncs with it — one field, not two) and the office
 * hub (optional). It syncs as the signed-in person, with the password they signed in with (held in
 * memory only).
 */
export function SyncSetup(): JSX.Element {
  const { t } = useTranslation();
  const targets = useSyncStatus((s) => s.targets);
  const setTargets = useSyncStatus((s) => s.setTargets);
  const setCredentials = useSyncStatus((s) => s.setCredentials);
  const clearCredentials = useSyncStatus((s) => s.clearCredentials);
  const server = useSession((s) => s.server);
  const username = useSession((s) => s.user?.login ?? '');
  const password = useCredentials((s) => s.password ?? '');
  const [hub, setHub] = useState(targets?.hub ?? '');
  // The Kense central service (staff administration): empty means beside central (the default shown).
  const serviceSetting = useCentralServiceSetting((s) => s.url);
  const setServiceSetting = useCentralServiceSetting((s) => s.setUrl);
  const [service, setService] = useState(serviceSetting ?? '');
  const centralUrl = server ? parseServerUrl(server) : null;
  const hubUrl = hub.trim() ? parseServerUrl(hub) : null;
  const hubOk = !hub.trim() || hubUrl !== null;
  const serviceUrl = service.trim() ? parseServerUrl(service) : null;
  const serviceOk = !service.trim() || serviceUrl !== null;
  const serviceDefault = centralUrl ? defaultCentralServiceUrl(centralUrl) : null;
  const ready = centralUrl !== null && hubOk && serviceOk;
  return (
    <section className="card">
      <h2>{t('settings:sync.title')}</h2>
      <form
        className="grid-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (!ready || !centralUrl) return;
          setTargets({ central: centralUrl, hub: hubUrl });
          setServiceSetting(serviceUrl);
          if (username && password) setCredentials(username, password);
        }}
        data-testid="sync-setup"
      >
        <div className="field wide">
          <span>{t('settings:sync.url')}</span>
          <p className="mono setting-value" data-testid="sync-central">
            {centralUrl ?? t('settings:sync.noCentral')}
          </p>
        </div>
        <label className={`field wide${!hubOk ? ' invalid' : ''}`}>
          <span>{t('settings:sync.hubUrl')}</span>
          <input
            value={hub}
            onChange={(e) => setHub(e.target.value)}
            placeholder={t('settings:sync.hubExample')}
            data-testid="sync-hub-url"
          />
          {!hubOk ? (
            <span className="field-error">{t('settings:sync.urlHint')}</span>
          ) : (
            <span className="note">{t('settings:sync.hubNote')}</span>
          )}
        </label>
        <label className={`field wide${!serviceOk ? ' invalid' : ''}`}>
          <span>{t('settings:sync.serviceUrl')}</span>
          <input
            value={service}
            onChange={(e) => setService(e.target.value)}
            placeholder={serviceDefault ?? ''}
            data-testid="sync-service-url"
          />
          {!serviceOk ? (
            <span className="field-error">{t('settings:sync.urlHint')}</span>
          ) : (
            <span className="note">
              {serviceDefault
                ? t('settings:sync.serviceNote', { url: serviceDefault })
                : t('settings:sync.serviceNoteUnknown')}
            </span>
          )}
        </label>
        <p className="note wide" data-testid="sync-as">
          {username ? t('settings:sync.asUser', { login: username }) : t('settings:sync.signInFirst')}
        </p>
        <div className="actions wide">
          <button type="submit" className="primary" disabled={!ready} data-testid="sync-connect">
            {t('settings:sync.connect')}
          </button>
          {targets && (
            <button
              type="button"
              onClick={() => {
                setTargets(null);
                clearCredentials();
              }}
              data-testid="sync-disconnect"
            >
              {t('settings:sync.disconnect')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
