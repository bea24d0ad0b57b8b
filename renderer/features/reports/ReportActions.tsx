import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { download } from '../../components/download';
import { getBridge } from '../../platform/bridge';
import { tablesToXlsx, type ReportTable } from './tables';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A report's XLSX export (every table, under the report's heading) and its print, office or region alike. */
export function ReportActions(props: {
  tables: ReportTable[];
  heading: string[];
  fileName: string;
  disabled: boolean;
  /** Null when an export starts, the message key when it failed. */
  onFailure: (key: string | null) => void;
}): JSX.Element {
  const { t } = useTranslation();
  return (
    <div className="actions">
      <button
        type="button"
        disabled={props.disabled}
        onClick={() => {
          props.onFailure(null);
          tablesToXlsx(props.tables, props.heading, t('reports:hoursUnit')).then(
            (bytes) => download(props.fileName, bytes, XLSX_TYPE),
            () => props.onFailure('reports:exportFailed'),
          );
        }}
        data-testid="report-xlsx"
      >
        XLSX
      </button>
      <button
        type="button"
        disabled={props.disabled}
        onClick={() => void getBridge().print({ dialog: true })}
        data-testid="report-print"
      >
        {t('reports:print')}
      </button>
    </div>
  );
}
