import { useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { useSyncStatus } from '../../state/sync';

/** The server this desk syncs with: central CouchDB or the office hub. The password stays in memory. */
export function SyncSetup(): JSX.Element {
  const { t } = useTranslation();
  const config = useSyncStatus((s) => s.config);
  const configure = useSyncStatus((s) => s.configure);
  const [url, setUrl] = useState(config?.url ?? '');
  const [username, setUsername] = useState(config?.username ?? '');
  const [password, setPassword] = useState('');
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
          if (urlOk && username && password) configure({ url: url.trim(), username: username.trim() }, password);
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
        <label className="field">
          <span>{t('settings:sync.username')}</span>
          <input
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            data-testid="sync-username"
          />
        </label>
        <label className="field">
          <span>{t('settings:sync.password')}</span>
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            data-testid="sync-password"
          />
        </label>
        <p className="note wide">{t('settings:sync.passwordNote')}</p>
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
