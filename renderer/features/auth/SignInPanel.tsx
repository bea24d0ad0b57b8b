import { useState, type JSX } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { StaffRole } from '@shared/events';
import { useSession } from '../../state/session';
import { authenticate, type Authenticated, type AuthFailure } from './authenticate';
import { startSession } from '../../state/credentials';
import { useDeskKeys } from '../../state/deskKeys';
import { localSealCheck, unlockDesk, type DeskKeys } from '../../data';
import { getBridge } from '../../platform/bridge';
import { CredentialFields } from '../../components/CredentialFields';

/** A server on this computer is the development central (`npm start` / `npm run central`). */
function isLoopback(server: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(server).hostname);
  } catch {
    return false;
  }
}

function failureMessage(t: TFunction, f: AuthFailure): string {
  switch (f.code) {
    case 'locked':
      return t('auth:error.locked', { minutes: Math.floor(f.secondsLeft / 60), seconds: f.secondsLeft % 60 });
    case 'wrongCredentials':
      return t('auth:error.wrongCredentials');
    case 'serverError':
      return t('auth:error.serverError', { status: f.status });
    default:
      return t(`auth:error.${f.code}`);
  }
}

/**
 * Sign-in at this desk: login and password, checked by the server (`_session`) or, when it cannot
 * be reached, by the verifier kept from this person's last online sign-in. Someone holding
 * several staff roles then picks the one they act in.
 */
export function SignInPanel({ onSignedIn }: { onSignedIn?: (role: StaffRole) => void }): JSX.Element {
  const { t } = useTranslation();
  const office = useSession((s) => s.office);
  const desk = useSession((s) => s.desk);
  const server = useSession((s) => s.server);
  const signIn = useSession((s) => s.signIn);
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<AuthFailure | null>(null);
  const [pending, setPending] = useState<{ user: Authenticated; password: string; keys: DeskKeys } | null>(null);
  const [role, setRole] = useState<StaffRole | null>(null);

  const finish = (user: Authenticated, secret: string, chosen: StaffRole, keys: DeskKeys): void => {
    // The desk's data opens with these keys (DeskProvider); sign-out drops them.
    useDeskKeys.getState().set(keys);
    signIn({ login: user.login, displayName: user.fullName, role: chosen, roles: user.roles, mode: user.mode });
    startSession(user.login, secret);
    setPending(null);
    setPassword('');
    onSignedIn?.(chosen);
  };

  if (pending)
    return (
      <section className="card signin" data-testid="signin-roles">
        <h2>{t('auth:role.title', { name: pending.user.fullName })}</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (role) finish(pending.user, pending.password, role, pending.keys);
          }}
        >
          <fieldset className="radio-group">
            <legend>{t('auth:role.legend')}</legend>
            {pending.user.roles.map((r) => (
              <label key={r}>
                <input
                  type="radio"
                  name="role"
                  value={r}
                  checked={role === r}
                  onChange={() => setRole(r)}
                  data-testid={`signin-role-${r}`}
                />
                <span>{t(`settings:roles.${r}`)}</span>
              </label>
            ))}
          </fieldset>
          <div className="actions">
            <button type="submit" className="primary" disabled={!role} data-testid="signin-role-continue">
              {t('auth:role.continue')}
            </button>
            <button type="button" onClick={() => setPending(null)}>
              {t('auth:role.back')}
            </button>
          </div>
        </form>
      </section>
    );

  return (
    <section className="card signin" data-testid="signin">
      <h2>{t('auth:title')}</h2>
      <p className="note">{t('auth:deskFacts', { office: office ?? '—', desk: desk ?? '—' })}</p>
      <form
        className="grid-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (busy || !login.trim() || !password) return;
          setBusy(true);
          setFailure(null);
          void authenticate({ office: desk ? office : null, server, login, password })
            .then(async (r) => {
              if (!r.ok) {
                setFailure(r.failure);
                setPassword('');
                return;
              }
              // The password is right; the desk's data opens only with its keys, released now.
              const unlocked = await unlockDesk(
                {
                  office: office as string,
                  desk: desk as string,
                  server,
                  login: r.user.login,
                  password,
                  mode: r.user.mode,
                  wrappingKey: r.wrappingKey,
                  sealCheck: localSealCheck(office as string),
                },
                getBridge(),
              );
              if (!unlocked.ok) {
                setFailure({ code: unlocked.code });
                setPassword('');
                return;
              }
              useDeskKeys.getState().warn(unlocked.warning ?? null);
              if (r.user.roles.length === 1) finish(r.user, password, r.user.roles[0] as StaffRole, unlocked.keys);
              else {
                setRole(null);
                setPending({ user: r.user, password, keys: unlocked.keys });
              }
            })
            .finally(() => setBusy(false));
        }}
      >
        <CredentialFields
          login={login}
          password={password}
          onLogin={setLogin}
          onPassword={setPassword}
          testIdPrefix="signin"
        />
        {failure && (
          <p className="field-error wide" role="alert" data-testid="signin-error">
            {failureMessage(t, failure)}
          </p>
        )}
        <div className="actions wide">
          <button
            type="submit"
            className="primary"
            disabled={busy || !login.trim() || !password}
            data-testid="signin-submit"
          >
            {busy ? t('auth:checking') : t('auth:submit')}
          </button>
        </div>
        <p className="note wide">{server ? t('auth:offlineNote') : t('auth:noServer')}</p>
        {server && isLoopback(server) && (
          <p className="note wide" data-testid="signin-demo">
            {t('auth:demo')}
          </p>
        )}
      </form>
    </section>
  );
}
