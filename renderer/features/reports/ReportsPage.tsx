import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { DeskGate } from '../../components/DeskGate';
import { PageHeader } from '../../components/PageHeader';
import { useDeskStatus } from '../../data';
import { useRegional } from '../../state/regional';
import { useSession } from '../../state/session';
import { OfficeReports } from './OfficeReports';
import { RegionalReports } from './RegionalReports';
import { RegionalSignIn } from './RegionalSignIn';
import './reports.css';

/**
 * Reports: the office's, from this desk's read model (offline too); or, for a supervisor signed in
 * here for regional reports, their offices' figures online from central. While nobody is signed
 * in, a supervisor may sign in below the desk's own sign-in.
 */
export function ReportsPage(): JSX.Element {
  const { t } = useTranslation();
  const supervisor = useRegional((s) => s.user);
  const password = useRegional((s) => s.password);
  const { catalogue } = useDeskStatus();
  const deskUser = useSession((s) => s.user);
  if (supervisor && password && catalogue)
    return (
      <>
        <PageHeader title={t('reports:regional.title')} />
        <RegionalReports user={supervisor} password={password} catalogue={catalogue} />
      </>
    );
  return (
    <>
      <PageHeader title={t('nav:reports')} />
      <DeskGate>{(desk, user, cat) => <OfficeReports desk={desk} user={user} catalogue={cat} />}</DeskGate>
      {!deskUser && <RegionalSignIn />}
    </>
  );
}
