import { useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { useCredentials } from '../auth/credentials';
import { useSession } from '../../state/session';
import { useSyncStatus } from '../../state/sync';

/**
 * The server this desk syncs with: central CouchDB or the office hub. It syncs as the signed-in
 * person, with the password they signed in with (held in memory only, features/auth).
 */
export function SyncSetup(): JSX.Element {
  const { t } = useTranslation();
  const config = useSyncStatus((s) => s.config);
  const configure = useSyncStatus((s) => s.configure);
  const [url, setUrl] = useState(config?.url ?? '');
  const username = useSession((s) => s.user?.login ?? '');
  const password = useCredentials((s) => s.password ?? '');
  let urlOk = false;
  try {
    urlOk = ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    urlOk = false;
  }
  return (
    <section className="card">
      <h2>{t('settings:sync.title')}</h2>
      <form
        className="grid-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (urlOk && username && password) configure({ url: url.trim(), username }, password);
        }}
        data-testid="sync-setup"
      >
        <label className={`field wide${url && !urlOk ? ' invalid' : ''}`}>
          <span>{t('settings:sync.url')}</span>
          <input
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://couch.example.kz:6984"
            data-testid="sync-url"
          />
          {url && !urlOk && <span className="field-error">{t('settings:sync.urlHint')}</span>}
        </label>
        <p className="note wide" data-testid="sync-as">
          {username ? t('settings:sync.asUser', { login: username }) : t('settings:sync.signInFirst')}
        </p>
        <div className="actions wide">
          <button
            type="submit"
            className="primary"
            disabled={!urlOk || !username || !password}
            data-testid="sync-connect"
          >
            {t('settings:sync.connect')}
          </button>
          {config && (
            <button type="button" onClick={() => configure(null, null)}>
              {t('settings:sync.disconnect')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
