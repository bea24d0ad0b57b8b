import type { JSX, ReactNode } from 'react';
import type { UiLanguage } from '@shared/ipc/contract';
import { deliveryModeText, useBilingualT, usePrintT, type PrintT } from './labels';
import { addresseeRow, letterheadRows, letterTitleRow } from './letterParts';
import { Both, Field, SignedSheet } from './parts';
import type { CoverLetterData } from './types';

function coverRows(data: CoverLetterData, lang: UiLanguage, t: PrintT): ReactNode[] {
  return [
    ...letterheadRows(data, lang, t),
    addresseeRow(data, t),
    letterTitleRow(t('print:cover.title'), null),
    <p key="body" className="pr print-body">
      {t('print:cover.body', { regNumber: data.regNumber, service: data.service[lang] })}
    </p>,
    <Field key="mode" id="mode" label={t('print:cover.mode')}>
      {deliveryModeText(data.mode, t)}
      {data.tracking !== null && (
        <span className="pf-sub" data-testid="print-tracking">
          {t('print:cover.tracking', { tracking: data.tracking })}
        </span>
      )}
    </Field>,
    <div key="enclosures-title" className="pr print-subtitle">
      {t('print:cover.enclosures')}
    </div>,
    ...data.enclosures.map((e, i) => (
      <div key={`enclosure-${i}`} className="pr print-item" data-testid="print-enclosure-line">
        <span className="print-item-n">{i + 1}.</span>
        <span className="print-item-text">
          {e.sheets !== null ? t('print:cover.enclosure', { name: e.name[lang], count: e.sheets }) : e.name[lang]}
        </span>
      </div>
    )),
  ];
}

/**
 * Сопроводительное письмо / ілеспе хат, A4 only: the letter that goes with the result when it is
 * sent by mail or through the ЦОН, with the enclosures, how it is sent (and the tracking number),
 * the head's signature, and the executor in small print at the bottom.
 */
export function CoverLetter({ data }: { data: CoverLetterData }): JSX.Element {
  const kk = usePrintT('kk');
  const ru = usePrintT('ru');
  const b = useBilingualT();
  return (
    <SignedSheet
      doc="coverLetter"
      format="A4"
      rows={{ kk: coverRows(data, 'kk', kk), ru: coverRows(data, 'ru', ru) }}
      signers={[{ label: b('print:sign.head'), name: data.headName }]}
      regNumber={data.regNumber}
    >
      <div className="print-executor" data-testid="print-executor">
        <Both text={b('print:cover.executor')} />: {data.executorName}
        {data.executorPhone !== null && <>, {kk('print:cover.phone', { phone: data.executorPhone })}</>}
      </div>
    </SignedSheet>
  );
}
