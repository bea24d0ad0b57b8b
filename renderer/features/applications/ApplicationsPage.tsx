import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';

export function ApplicationsPage(): JSX.Element {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('nav:applications')} />
      <EmptyState title={t('applications:empty.title')} description={t('applications:empty.description')} />
    </>
  );
}
