import { useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { signInSupervisor, type RegionalSignInFailure } from '../../data';
import { REGIONAL_SERVER_KEY, useRegional } from '../../state/regional';
import { useSession } from '../../state/session';
import { CredentialFields } from '../../components/CredentialFields';

/**
 * Sign-in for regional reports: a supervisor's computer needs no office, desk or local data, only
 * central's address. Online only; the password stays in memory.
 */
export function RegionalSignIn(): JSX.Element {
  const { t } = useTranslation();
  const deskServer = useSession((s) => s.server);
  const signIn = useRegional((s) => s.signIn);
  const [server, setServer] = useState(() => localStorage.getItem(REGIONAL_SERVER_KEY) ?? deskServer ?? '');
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<RegionalSignInFailure | 'badServer' | null>(null);
  return (
    <section className="card signin" data-testid="regional-signin">
      <h2>{t('reports:regional.signIn.title')}</h2>
      <p className="note">{t('reports:regional.signIn.note')}</p>
      <form
        className="grid-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (busy || !login.trim() || !password) return;
          let url: URL;
          try {
            url = new URL(server.trim());
            if (!['http:', 'https:'].includes(url.protocol)) throw new Error('protocol');
          } catch {
            setFailure('badServer');
            return;
          }
          setBusy(true);
          setFailure(null);
          const address = server.trim().replace(/\/+$/, '');
          void signInSupervisor(address, login, password)
            .then((r) => {
              if (!r.ok) {
                setFailure(r.code);
                setPassword('');
                return;
              }
              signIn({ login: r.login, displayName: r.displayName, offices: r.offices, server: address }, password);
            })
            .finally(() => setBusy(false));
        }}
      >
        <label className="field wide">
          <span>{t('settings:desk.server')}</span>
          <input
            value={server}
            onChange={(e) => setServer(e.target.value)}
            placeholder="https://couch.example.kz"
            data-testid="regional-server"
          />
        </label>
        <CredentialFields
          login={login}
          password={password}
          onLogin={setLogin}
          onPassword={setPassword}
          testIdPrefix="regional"
        />
        {failure && (
          <p className="field-error wide" role="alert" data-testid="regional-signin-error">
            {t(`reports:regional.signIn.${failure}`)}
          </p>
        )}
        <div className="actions wide">
          <button
            type="submit"
            className="primary"
            disabled={busy || !login.trim() || !password}
            data-testid="regional-submit"
          >
            {busy ? t('auth:checking') : t('auth:submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
