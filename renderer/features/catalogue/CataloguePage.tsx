import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';

export function CataloguePage(): JSX.Element {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('nav:catalogue')} />
      <EmptyState title={t('catalogue:empty.title')} description={t('catalogue:empty.description')} />
    </>
  );
}
