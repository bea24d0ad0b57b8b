import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { DeskGate } from '../../components/DeskGate';
import { PageHeader } from '../../components/PageHeader';
import { OfficeReports } from './OfficeReports';
import './reports.css';

/** Reports: the office's, from this desk's read model (offline too). */
export function ReportsPage(): JSX.Element {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('nav:reports')} />
      <DeskGate>{(desk, user, catalogue) => <OfficeReports desk={desk} user={user} catalogue={catalogue} />}</DeskGate>
    </>
  );
}
