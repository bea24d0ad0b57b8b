import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';

/** A sign-in form's login and password (test ids `<testIdPrefix>-login` and `-password`). */
export function CredentialFields({
  login,
  password,
  onLogin,
  onPassword,
  testIdPrefix,
}: {
  login: string;
  password: string;
  onLogin: (value: string) => void;
  onPassword: (value: string) => void;
  testIdPrefix: string;
}): JSX.Element {
  const { t } = useTranslation();
  return (
    <>
      <label className="field">
        <span>{t('auth:login')}</span>
        <input
          value={login}
          onChange={(e) => onLogin(e.target.value)}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          data-testid={`${testIdPrefix}-login`}
        />
      </label>
      <label className="field">
        <span>{t('auth:password')}</span>
        <input
          type="password"
          value={password}
          onChange={(e) => onPassword(e.target.value)}
          autoComplete="current-password"
          data-testid={`${testIdPrefix}-password`}
        />
      </label>
    </>
  );
}
