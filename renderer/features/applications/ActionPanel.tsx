import { useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceDefinition } from '@shared/catalogue';
import type { ActorRef, Representative } from '@shared/events';
import { validateIin } from '@shared/identity';
import type { AllowedAction, ApplicationState } from '@shared/workflow';
import { DateInput } from '../../components/DateInput';
import { writeFailureKey, type Desk, type ExecutorChoice } from '../../data';
import { ExecutorPicker } from './ExecutorPicker';
import { ExtensionAction } from './TermsAndLetters';

type Outcome = 'done' | 'skipped' | 'approved' | 'refused';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

interface ProxyDraft {
  fullName: string;
  iin: string;
  poaNumber: string;
  poaDate: string;
}
const NO_PROXY: ProxyDraft = { fullName: '', iin: '', poaNumber: '', poaDate: '' };

/** The representative who takes the result by power of attorney, checked as at reception. */
export function checkProxy(d: ProxyDraft): {
  proxy: Representative | null;
  errors: Partial<Record<keyof ProxyDraft, string>>;
} {
  const errors: Partial<Record<keyof ProxyDraft, string>> = {};
  const iin = validateIin(d.iin);
  if (!iin.ok) errors.iin = `identity:errors.${iin.error}`;
  if (!d.fullName.trim()) errors.fullName = 'reception:errors.required';
  if (!d.poaNumber.trim()) errors.poaNumber = 'reception:errors.required';
  if (!ISO_DATE.test(d.poaDate)) errors.poaDate = 'reception:errors.date';
  if (!iin.ok || Object.keys(errors).length > 0) return { proxy: null, errors };
  return {
    proxy: { iin: iin.value, fullName: d.fullName.trim(), poaNumber: d.poaNumber.trim(), poaDate: d.poaDate },
    errors,
  };
}

/**
 * The ways the result may be handed over: the service's own, and by proxy wherever it is handed
 * over in person (a representative with a power of attorney may take it instead of the applicant).
 */
export function issueModes(service: ServiceDefinition): ServiceDefinition['delivery'] {
  const modes = [...service.delivery];
  if (modes.includes('in_person') && !modes.includes('proxy')) modes.splice(modes.indexOf('in_person') + 1, 0, 'proxy');
  return modes;
}

/**
 * The actions the current user's role may take now, as the engine allows them; each becomes one
 * event. The engine refuses anything else again when it is written, so a stale screen cannot do harm.
 */
export function ActionPanel({
  desk,
  state,
  service,
  actor,
  actions,
  now,
}: {
  desk: Desk;
  state: ApplicationState;
  service: ServiceDefinition;
  actor: ActorRef;
  actions: AllowedAction[];
  now: number;
}): JSX.Element | null {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [ground, setGround] = useState('');
  const [executor, setExecutor] = useState<ExecutorChoice | null>(null);
  const [meetingDate, setMeetingDate] = useState('');
  const [minutesNo, setMinutesNo] = useState('');
  const [mode, setMode] = useState(service.delivery[0] ?? 'in_person');
  const [tracking, setTracking] = useState('');
  const [proxyDraft, setProxyDraft] = useState<ProxyDraft>(NO_PROXY);
  const [proxyTried, setProxyTried] = useState(false);
  if (actions.length === 0) return null;

  const appId = state.appId;
  const n = note.trim() || undefined;
  const run = async (write: () => Promise<unknown>): Promise<void> => {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    try {
      await write();
      setNote('');
      setGround('');
      setExecutor(null);
    } catch (e) {
      setFailure(writeFailureKey(e));
    } finally {
      setBusy(false);
    }
  };
  const stepId = state.step?.id ?? '';
  const has = (kind: AllowedAction['kind']): AllowedAction | undefined => actions.find((a) => a.kind === kind);
  const outcomes = has('step_done')?.outcomes ?? [];
  const needsGround = outcomes.includes('refused');
  const executorOk = executor !== null;
  const dateOk = ISO_DATE.test(meetingDate) && minutesNo.trim().length > 0;
  const proxyCheck = checkProxy(proxyDraft);
  const proxyError = (field: keyof ProxyDraft): string | null => {
    const code = proxyCheck.errors[field];
    // An IIN is judged as soon as it has 12 digits; everything else once "issue" was pressed.
    const show = proxyTried || (field === 'iin' && proxyDraft.iin.replace(/\s/g, '').length >= 12);
    return show && code ? t(code) : null;
  };
  const proxyField = (field: keyof ProxyDraft, type: 'text' | 'date' = 'text'): JSX.Element => (
    <label className={`field${proxyError(field) ? ' invalid' : ''}`}>
      <span>{t(`card:actions.proxy.${field}`)}</span>
      {type === 'date' ? (
        <DateInput
          value={proxyDraft[field]}
          invalid={proxyError(field) !== null}
          onChange={(iso) => setProxyDraft((d) => ({ ...d, [field]: iso }))}
          testId={`proxy-${field}`}
        />
      ) : (
        <input
          value={proxyDraft[field]}
          inputMode={field === 'iin' ? 'numeric' : undefined}
          maxLength={field === 'iin' ? 14 : undefined}
          aria-invalid={proxyError(field) !== null}
          onChange={(e) => setProxyDraft((d) => ({ ...d, [field]: e.target.value }))}
          data-testid={`proxy-${field}`}
        />
      )}
      {proxyError(field) && <span className="field-error">{proxyError(field)}</span>}
    </label>
  );

  return (
    <section className="card actions-card" data-testid="action-panel">
      <h2>{t('card:actions.title')}</h2>
      {(has('resolution') || has('reassigned')) && (
        <div className="grid-2">
          <ExecutorPicker desk={desk} now={now} value={executor} onChange={setExecutor} />
        </div>
      )}
      {has('commission_decision') && (
        <div className="grid-2">
          <label className="field">
            <span>{t('card:actions.meetingDate')}</span>
            <DateInput value={meetingDate} onChange={setMeetingDate} testId="meeting-date" />
          </label>
          <label className="field">
            <span>{t('card:actions.minutesNo')}</span>
            <input value={minutesNo} onChange={(e) => setMinutesNo(e.target.value)} data-testid="minutes-no" />
          </label>
        </div>
      )}
      {has('issued') && (
        <div className="grid-2">
          <label className="field">
            <span>{t('card:actions.mode')}</span>
            <select value={mode} onChange={(e) => setMode(e.target.value as typeof mode)} data-testid="issue-mode">
              {issueModes(service).map((m) => (
                <option key={m} value={m}>
                  {t(`card:delivery.${m}`)}
                </option>
              ))}
            </select>
          </label>
          {mode === 'mail' && (
            <label className="field">
              <span>{t('card:actions.tracking')}</span>
              <input value={tracking} onChange={(e) => setTracking(e.target.value)} data-testid="issue-tracking" />
            </label>
          )}
        </div>
      )}
      {has('issued') && mode === 'proxy' && (
        <fieldset className="subsection grid-2" data-testid="proxy-form">
          <legend>{t('card:actions.proxy.title')}</legend>
          {proxyField('fullName')}
          {proxyField('iin')}
          {proxyField('poaNumber')}
          {proxyField('poaDate', 'date')}
        </fieldset>
      )}
      {(needsGround || has('commission_decision')) && (
        <label className="field wide">
          <span>{t('card:actions.ground')}</span>
          <input value={ground} onChange={(e) => setGround(e.target.value)} data-testid="refusal-ground" />
        </label>
      )}
      <label className="field wide">
        <span>{t('card:actions.note')}</span>
        <input value={note} onChange={(e) => setNote(e.target.value)} data-testid="action-note" />
      </label>
      <div className="actions">
        {has('resolution') && (
          <button
            type="button"
            className="primary"
            disabled={busy || !executorOk}
            data-testid="do-resolution"
            onClick={() =>
              executor &&
              void run(() =>
                desk.append(appId, 'resolution', actor, {
                  stepId,
                  executor: executor.login,
                  executorName: executor.fullName,
                  note: n,
                }),
              )
            }
          >
            {t('card:actions.resolution')}
          </button>
        )}
        {outcomes.map((o: Outcome) => (
          <button
            key={o}
            type="button"
            className={o === 'refused' ? 'danger' : o === 'skipped' ? '' : 'primary'}
            disabled={busy || (o === 'refused' && !ground.trim())}
            data-testid={`do-step-${o}`}
            onClick={() =>
              void run(() =>
                desk.append(appId, 'step_done', actor, {
                  stepId,
                  outcome: o,
                  ground: o === 'refused' ? ground.trim() : undefined,
                  note: n,
                }),
              )
            }
          >
            {t(`card:actions.outcome.${o}`)}
          </button>
        ))}
        {has('commission_decision') &&
          (['approved', 'refused'] as const).map((d) => (
            <button
              key={d}
              type="button"
              className={d === 'refused' ? 'danger' : 'primary'}
              disabled={busy || !dateOk || (d === 'refused' && !ground.trim())}
              data-testid={`do-commission-${d}`}
              onClick={() =>
                void run(() =>
                  desk.append(appId, 'commission_decision', actor, {
                    stepId,
                    decision: d,
                    meetingDate,
                    minutesNo: minutesNo.trim(),
                    ground: d === 'refused' ? ground.trim() : undefined,
                    note: n,
                  }),
                )
              }
            >
              {t(`card:actions.commission.${d}`)}
            </button>
          ))}
        {has('signed') && (
          <button
            type="button"
            className="primary"
            disabled={busy}
            data-testid="do-signed"
            onClick={() => void run(() => desk.append(appId, 'signed', actor, { stepId, note: n }))}
          >
            {t('card:actions.sign')}
          </button>
        )}
        {has('returned') && (
          <button
            type="button"
            disabled={busy || !n}
            data-testid="do-returned"
            title={t('card:actions.returnHint')}
            onClick={() => {
              const target = [...state.history]
                .reverse()
                .find((h) =>
                  service.variants.some((v) => v.steps.some((s) => s.id === h.stepId && s.actor === 'executor')),
                );
              if (target) void run(() => desk.append(appId, 'returned', actor, { toStepId: target.stepId, note: n }));
            }}
          >
            {t('card:actions.return')}
          </button>
        )}
        {has('documents_received') && (
          <button
            type="button"
            className="primary"
            disabled={busy}
            data-testid="do-documents-received"
            onClick={() =>
              void run(() => desk.append(appId, 'documents_received', actor, { stepId, documents: [], note: n }))
            }
          >
            {t('card:actions.documentsReceived')}
          </button>
        )}
        {has('wait_expired') && (
          <button
            type="button"
            disabled={busy || state.stepDueAt === null || now < state.stepDueAt}
            data-testid="do-wait-expired"
            onClick={() => void run(() => desk.append(appId, 'wait_expired', actor, { stepId, note: n }))}
          >
            {t('card:actions.waitExpired')}
          </button>
        )}
        {has('issued') && (
          <button
            type="button"
            className="primary"
            disabled={busy}
            data-testid="do-issued"
            onClick={() => {
              if (mode === 'proxy' && !proxyCheck.proxy) {
                setProxyTried(true);
                return;
              }
              void run(() =>
                desk.append(appId, 'issued', actor, {
                  stepId,
                  mode,
                  proxy: mode === 'proxy' ? (proxyCheck.proxy ?? undefined) : undefined,
                  tracking: mode === 'mail' && tracking.trim() ? tracking.trim() : undefined,
                  note: n,
                }),
              );
            }}
          >
            {t('card:actions.issue')}
          </button>
        )}
        {has('reassigned') && (
          <button
            type="button"
            disabled={busy || !executorOk}
            data-testid="do-reassigned"
            onClick={() =>
              executor &&
              void run(() =>
                desk.append(appId, 'reassigned', actor, {
                  executor: executor.login,
                  executorName: executor.fullName,
                  note: n,
                }),
              )
            }
          >
            {t('card:actions.reassign')}
          </button>
        )}
        {has('withdrawn') && (
          <button
            type="button"
            className="link"
            disabled={busy || !n}
            data-testid="do-withdrawn"
            title={t('card:actions.withdrawHint')}
            onClick={() => void run(() => desk.append(appId, 'withdrawn', actor, { note: n }))}
          >
            {t('card:actions.withdraw')}
          </button>
        )}
      </div>
      {failure && (
        <p className="form-failure" role="alert">
          {t(failure)}
        </p>
      )}
      {has('deadline_extended') && (
        <ExtensionAction desk={desk} state={state} actor={actor} action={has('deadline_extended') as AllowedAction} />
      )}
    </section>
  );
}
