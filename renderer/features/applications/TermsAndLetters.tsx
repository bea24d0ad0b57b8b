import { Fragment, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActorRef } from '@shared/events';
import type { AllowedAction, ApplicationState } from '@shared/workflow';
import { writeFailureKey, type Desk } from '../../data';
import { formatPrintedDate, formatPrintedDateTime } from '../../i18n/format';
import { usePreferences } from '../../state/preferences';

const when = (instant: number | null): string => (instant === null ? '—' : formatPrintedDateTime(instant));

/**
 * Rows of the card's facts list: the letters sent out under their outgoing numbers (исходящий
 * номер), and the extensions of the terms recorded on this application with the due times they moved.
 */
export function LettersAndExtensions({ state }: { state: ApplicationState }): JSX.Element | null {
  const { t } = useTranslation();
  const language = usePreferences((s) => s.language);
  if (state.letters.length === 0 && state.extensions.length === 0) return null;
  return (
    <>
      {state.letters.length > 0 && (
        <>
          <dt>{t('card:letters')}</dt>
          <dd data-testid="card-letters">
            {state.letters.map((l) => (
              <div key={l.eventId} className="mono">
                {t('card:letterLine', {
                  number: l.number,
                  date: formatPrintedDate(l.at),
                  kind: t(`card:letterKind.${l.kind}`),
                })}
              </div>
            ))}
          </dd>
        </>
      )}
      {state.extensions.map((x) => (
        <Fragment key={x.eventId}>
          <dt>{t('card:extensions')}</dt>
          <dd data-testid="card-extension">
            {t('card:extensionLine', {
              ground: x.ground[language],
              reason: x.reason,
              who: x.by.name ?? x.by.login,
              when: formatPrintedDateTime(Date.parse(x.at)),
              before: when(x.dueBefore),
              after: when(x.dueAfter),
            })}
          </dd>
        </Fragment>
      ))}
    </>
  );
}

/**
 * Recording a longer term on a ground the regulation names (продление срока / мерзімді ұзарту):
 * offered only when the engine allows it now, i.e. on the regulation's steps, to whoever acts there.
 */
export function ExtensionAction({
  desk,
  state,
  actor,
  action,
}: {
  desk: Desk;
  state: ApplicationState;
  actor: ActorRef;
  action: AllowedAction;
}): JSX.Element | null {
  const { t } = useTranslation();
  const language = usePreferences((s) => s.language);
  const options = (state.variant?.extensions ?? []).filter((x) => action.extensions?.includes(x.id));
  const [chosen, setChosen] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  if (options.length === 0 || !action.stepId) return null;
  const extensionId = options.some((x) => x.id === chosen) ? chosen : (options[0]?.id ?? '');
  const stepId = action.stepId;
  const submit = async (): Promise<void> => {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    try {
      await desk.append(state.appId, 'deadline_extended', actor, { stepId, extensionId, reason: reason.trim() });
      setReason('');
    } catch (e) {
      setFailure(writeFailureKey(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <fieldset className="extension" data-testid="extension">
      <legend>{t('card:extend.title')}</legend>
      <label className="field wide">
        <span>{t('card:extend.ground')}</span>
        <select value={extensionId} onChange={(e) => setChosen(e.target.value)} data-testid="extension-ground">
          {options.map((x) => (
            <option key={x.id} value={x.id}>
              {x.ground[language]}
            </option>
          ))}
        </select>
      </label>
      <label className="field wide">
        <span>{t('card:extend.reason')}</span>
        <input value={reason} onChange={(e) => setReason(e.target.value)} data-testid="extension-reason" />
      </label>
      <p className="muted">{t('card:extend.hint')}</p>
      <button type="button" disabled={busy || !reason.trim()} onClick={() => void submit()} data-testid="do-extend">
        {t('card:extend.submit')}
      </button>
      {failure && (
        <p className="form-failure" role="alert">
          {t(failure)}
        </p>
      )}
    </fieldset>
  );
}
