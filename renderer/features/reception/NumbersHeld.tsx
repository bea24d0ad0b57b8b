import { useState, useSyncExternalStore, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { SKIP_MARGIN, type Desk } from '../../data';
import type { DeskUser } from '../../state/session';
import { syncStatusOf, useSyncStatus } from '../../state/sync';

/** Whether this desk's numbering is held (a wiped desk that has not re-synced yet, a new one reading the server's numbers). */
export function useNumbersHeld(desk: Desk): boolean {
  return useSyncExternalStore(
    (listener) => desk.numbers.subscribe(listener),
    () => desk.numbers.held,
  );
}

/**
 * Why registration is held on a wiped desk, and — offline, for the clerk or the head — the
 * explicit way on: numbering skips a safe margin past the numbers the desk remembers (a gap in the
 * journal, never a repeated number). Online, the hold lifts by itself once the pull has finished.
 */
export function NumbersHeld({ desk, user }: { desk: Desk; user: DeskUser }): JSX.Element {
  const { t } = useTranslation();
  const status = useSyncStatus(syncStatusOf);
  const [confirming, setConfirming] = useState(false);
  const reaching = status === 'online' || status === 'hubOnly' || status === 'syncing' || status === 'connecting';
  const mayOverride = !reaching && (user.role === 'clerk' || user.role === 'head');
  return (
    <section className="card form-failure numbers-held" role="alert" data-testid="numbers-held">
      <h2>{t('reception:held.title')}</h2>
      <p>{t(desk.numbers.heldFor === 'serverNumbers' ? 'reception:held.whyNew' : 'reception:held.why')}</p>
      <p>{reaching ? t('reception:held.syncing') : t('reception:held.offline')}</p>
      {mayOverride &&
        (confirming ? (
          <div className="actions">
            <p>{t('reception:held.confirm', { margin: SKIP_MARGIN })}</p>
            <button
              type="button"
              className="danger"
              onClick={() => desk.numbers.skipAhead()}
              data-testid="held-confirm"
            >
              {t('reception:held.confirmYes')}
            </button>
            <button type="button" className="link" onClick={() => setConfirming(false)}>
              {t('reception:held.cancel')}
            </button>
          </div>
        ) : (
          <button type="button" onClick={() => setConfirming(true)} data-testid="held-override">
            {t('reception:held.override', { margin: SKIP_MARGIN })}
          </button>
        ))}
    </section>
  );
}
