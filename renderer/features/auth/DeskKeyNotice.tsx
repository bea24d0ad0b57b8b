import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { useDeskKeys } from '../../state/deskKeys';

/**
 * Says so when the sign-in found something wrong with the desk's key escrow on the server (someone
 * put another secret there for this desk) although the desk unlocked with its own (deskUnlock.ts).
 */
export function DeskKeyNotice(): JSX.Element | null {
  const { t } = useTranslation();
  const warning = useDeskKeys((s) => s.warning);
  if (!warning) return null;
  return (
    <section className="card error-panel" role="status" data-testid="deskkey-warning">
      <span>{t(`auth:deskKeyWarning.${warning.slice('deskKey.'.length)}`)}</span>{' '}
      <button type="button" onClick={() => useDeskKeys.getState().warn(null)}>
        {t('auth:deskKeyWarning.dismiss')}
      </button>
    </section>
  );
}
