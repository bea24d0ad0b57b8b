import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';

export function JournalsPage(): JSX.Element {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('nav:journals')} />
      <EmptyState title={t('journals:empty.title')} description={t('journals:empty.description')} />
    </>
  );
}
