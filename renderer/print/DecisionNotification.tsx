import type { JSX, ReactNode } from 'react';
import type { UiLanguage } from '@shared/ipc/contract';
import { formatPrintedDate } from '../i18n/format';
import { useBilingualT, usePrintT, type PrintT } from './labels';
import { addresseeRow, letterheadRows, letterTitleRow } from './letterParts';
import { Field, SignedSheet } from './parts';
import type { NotificationData } from './types';

function notificationRows(data: NotificationData, lang: UiLanguage, t: PrintT): ReactNode[] {
  const refused = data.decision === 'refused';
  const rows: ReactNode[] = [
    ...letterheadRows(data, lang, t),
    addresseeRow(data, t),
    letterTitleRow(t('print:notification.title'), t('print:notification.subtitle')),
    <div key="number" className="pr print-number">
      <strong className="print-number-value">№ {data.regNumber}</strong>
    </div>,
    <p key="body" className="pr print-body">
      {t('print:notification.body', { regNumber: data.regNumber, service: data.service[lang] })}
    </p>,
    <div key="decision" className="pr print-decision" data-field="decision" data-decision={data.decision}>
      <div className="pf-label">{t('print:notification.decisionTitle')}</div>
      <div className="print-decision-value">
        {refused ? t('print:notification.refused') : t('print:notification.approved')}
      </div>
      <div className="pf-sub">
        {refused ? t('print:notification.refusedNote') : t('print:notification.approvedNote')}
      </div>
    </div>,
  ];
  if (refused) {
    rows.push(
      <Field key="ground" id="ground" label={t('print:notification.ground')}>
        {data.ground ?? <span className="print-blank" />}
      </Field>,
    );
  }
  if (data.nextSteps !== null || data.dueAt !== null) {
    rows.push(
      <Field key="nextSteps" id="nextSteps" label={t('print:notification.nextSteps')}>
        {data.nextSteps?.[lang]}
        {data.dueAt !== null && (
          <strong className="print-due">
            {t('print:notification.dueAt', { date: formatPrintedDate(data.dueAt) })}
          </strong>
        )}
      </Field>,
    );
  }
  if (refused) {
    rows.push(
      <div key="appeal" className="pr print-small">
        {t('print:notification.appeal')}
      </div>,
    );
  }
  rows.push(
    <Field key="official" id="official" label={t('print:notification.official')}>
      {data.officialName}
      <span className="pf-sub">{data.officialPosition[lang]}</span>
    </Field>,
  );
  return rows;
}

/**
 * Уведомление о принятом решении / қабылданған шешім туралы хабарлама, A4 only: the decision on
 * the application (approved, or refused with its legal ground), what the applicant must do next and
 * by when, the responsible official, and the head's signature.
 */
export function DecisionNotification({ data }: { data: NotificationData }): JSX.Element {
  const kk = usePrintT('kk');
  const ru = usePrintT('ru');
  const b = useBilingualT();
  return (
    <SignedSheet
      doc="notification"
      format="A4"
      rows={{ kk: notificationRows(data, 'kk', kk), ru: notificationRows(data, 'ru', ru) }}
      signers={[{ label: b('print:sign.head'), name: data.headName }]}
      regNumber={data.regNumber}
    />
  );
}
