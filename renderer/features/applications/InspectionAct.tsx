import { useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { actEntries, actProblems, type ActField, type ActValue, type ActValues } from '@shared/catalogue';
import type { ActorRef, StaffRole } from '@shared/events';
import { roleForStep, type ApplicationState } from '@shared/workflow';
import { DateInput } from '../../components/DateInput';
import { writeFailureKey, type Desk } from '../../data';
import { formatPrintedDateTime } from '../../i18n/format';
import { usePreferences } from '../../state/preferences';
import { PrintButtons, type PrintFn } from '../../print/PrintButtons';
import { inspectionActJob } from '../../print/printData';

/**
 * The inspection act (акт обследования / тексеру актісі) on the card: at a visit step, the form the
 * service's data defines, filled by whoever acts on that step; every act recorded, printable on A4.
 */
export function InspectionActPanel({
  desk,
  state,
  actor,
  role,
  print,
}: {
  desk: Desk;
  state: ApplicationState;
  actor: ActorRef;
  role: StaffRole;
  print: PrintFn;
}): JSX.Element | null {
  const { t } = useTranslation();
  const language = usePreferences((s) => s.language);
  const step = state.step;
  const form = step?.act && roleForStep(step) === role ? step.act : null;
  const [values, setValues] = useState<ActValues>({});
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  if (!form && state.acts.length === 0) return null;

  const problems = form && attempted ? actProblems(form, actEntries(values)) : [];
  const problemOf = (id: string): string | null => {
    const p = problems.find((x) => x.field === id);
    return p ? t(`card:act.errors.${p.code}`) : null;
  };
  const set = (id: string, v: ActValue | undefined): void =>
    setValues((x) => {
      const next = { ...x };
      if (v === undefined) delete next[id];
      else next[id] = v;
      return next;
    });

  const record = async (): Promise<void> => {
    if (!form || !step) return;
    setAttempted(true);
    setFailure(null);
    const entries = actEntries(values);
    if (actProblems(form, entries).length > 0) return;
    setBusy(true);
    try {
      await desk.append(state.appId, 'act_recorded', actor, { stepId: step.id, values: entries });
      setValues({});
      setAttempted(false);
    } catch (e) {
      setFailure(writeFailureKey(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card inspection-act" data-testid="inspection-act">
      <h2>{t('card:act.title')}</h2>
      {state.acts.length > 0 && (
        <ul className="acts" data-testid="acts">
          {state.acts.map((a, i) => {
            const job = inspectionActJob(state, a);
            const later = state.acts.slice(i + 1).some((b) => b.stepId === a.stepId);
            return (
              <li key={a.eventId} data-testid="act-recorded">
                {formatPrintedDateTime(Date.parse(a.at))} · {a.by.name ?? a.by.login}
                {later && <em className="muted"> · {t('card:act.replaced')}</em>}
                {job && !later && <PrintButtons jobs={{ inspectionAct: job }} print={print} autoDocs={[]} />}
              </li>
            );
          })}
        </ul>
      )}
      {form && (
        <form
          className="act-form"
          onSubmit={(e) => {
            e.preventDefault();
            void record();
          }}
          data-testid="act-form"
        >
          <p className="chosen">
            {form.title[language]} <span className="muted">· {form.basis}</span>
          </p>
          {form.fields.map((f) => (
            <label key={f.id} className={`field wide${problemOf(f.id) ? ' invalid' : ''}`}>
              <span>
                {f.label[language]}
                {f.required && ' *'}
              </span>
              <ActInput field={f} value={values[f.id]} onChange={(v) => set(f.id, v)} />
              {problemOf(f.id) && <span className="field-error">{problemOf(f.id)}</span>}
            </label>
          ))}
          {failure && (
            <p className="form-failure" role="alert">
              {t(failure)}
            </p>
          )}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy} data-testid="act-record">
              {t('card:act.record')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function ActInput({
  field: f,
  value,
  onChange,
}: {
  field: ActField;
  value: ActValue | undefined;
  onChange: (v: ActValue | undefined) => void;
}): JSX.Element {
  const { t } = useTranslation();
  const language = usePreferences((s) => s.language);
  const testId = `act-${f.id}`;
  switch (f.type) {
    case 'textarea':
      return (
        <textarea
          rows={3}
          value={String(value ?? '')}
          onChange={(e) => onChange(e.target.value)}
          data-testid={testId}
        />
      );
    case 'number':
      return (
        <input
          inputMode="numeric"
          value={value === undefined ? '' : String(value)}
          onChange={(e) => {
            const text = e.target.value.trim();
            // Kept as typed until it is a number, so the check can say what is wrong.
            onChange(text === '' ? undefined : /^\d+([.,]\d+)?$/.test(text) ? Number(text.replace(',', '.')) : text);
          }}
          data-testid={testId}
        />
      );
    case 'date':
      return <DateInput value={typeof value === 'string' ? value : ''} onChange={onChange} testId={testId} />;
    case 'yes_no':
      return (
        <select
          value={value === true ? 'yes' : value === false ? 'no' : ''}
          onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value === 'yes')}
          data-testid={testId}
        >
          <option value="">—</option>
          <option value="yes">{t('card:act.yes')}</option>
          <option value="no">{t('card:act.no')}</option>
        </select>
      );
    case 'choice':
      return (
        <select
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value || undefined)}
          data-testid={testId}
        >
          <option value="">—</option>
          {(f.options ?? []).map((o) => (
            <option key={o.id} value={o.id}>
              {o.label[language]}
            </option>
          ))}
        </select>
      );
    default:
      return <input value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} data-testid={testId} />;
  }
}
