import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';

export function ReceptionPage(): JSX.Element {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('nav:reception')} />
      <EmptyState title={t('reception:empty.title')} description={t('reception:empty.description')} />
    </>
  );
}
