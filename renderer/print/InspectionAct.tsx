import type { JSX, ReactNode } from 'react';
import type { UiLanguage } from '@shared/ipc/contract';
import { formatPrintedDate } from '../i18n/format';
import { useBilingualT, usePrintT, type PrintT } from './labels';
import { letterTitleRow } from './letterParts';
import { Field, SignedSheet } from './parts';
import type { ActLine, InspectionActData } from './types';

function lineValue(line: ActLine, lang: UiLanguage, t: PrintT): string {
  if (line.value === null) return '—';
  if ('yesNo' in line.value) return t(line.value.yesNo ? 'print:act.yes' : 'print:act.no');
  return line.value[lang];
}

function actRows(data: InspectionActData, lang: UiLanguage, t: PrintT): ReactNode[] {
  return [
    <div key="provider" className="pr print-letterhead">
      {data.provider[lang]}
    </div>,
    letterTitleRow(data.title[lang], t('print:act.basis', { basis: data.basis })),
    <div key="regline" className="pr print-regline" data-field="regline">
      {t('print:act.dated', { date: formatPrintedDate(data.recordedAt), number: data.regNumber })}
    </div>,
    <Field key="service" id="service" label={t('print:field.service')}>
      {data.service[lang]}
    </Field>,
    <Field key="applicant" id="applicant" label={t('print:field.applicant')}>
      {data.applicantName}
      <span className="pf-sub">
        {t('print:field.applicantId')}: {data.applicantId}
      </span>
      {data.address !== null && (
        <span className="pf-sub">
          {t('print:letter.address')}: {data.address}
        </span>
      )}
    </Field>,
    ...data.lines.map((line, i) => (
      <div key={`line-${i}`} className="pr print-item" data-testid="print-act-line">
        <span className="print-item-n">{i + 1}.</span>
        <span className="print-item-text">
          <span className="pf-label">{line.label[lang]}</span>
          <span className="pf-value">{lineValue(line, lang, t)}</span>
        </span>
      </div>
    )),
  ];
}

/**
 * Акт обследования / тексеру актісі, A4: the entries of the act as the service's form lays them
 * out, Kazakh and Russian side by side, signed on paper by whoever drew it up and by the applicant
 * («с актом ознакомлен(а)»).
 */
export function InspectionAct({ data }: { data: InspectionActData }): JSX.Element {
  const kk = usePrintT('kk');
  const ru = usePrintT('ru');
  const b = useBilingualT();
  return (
    <SignedSheet
      doc="inspectionAct"
      format="A4"
      rows={{ kk: actRows(data, 'kk', kk), ru: actRows(data, 'ru', ru) }}
      signers={[
        { label: b('print:act.drawnUp'), name: data.officialName },
        { label: b('print:act.acquainted'), name: data.applicantName },
      ]}
      regNumber={data.regNumber}
    />
  );
}
