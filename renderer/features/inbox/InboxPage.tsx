import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';

export function InboxPage(): JSX.Element {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('nav:inbox')} />
      <EmptyState title={t('inbox:empty.title')} description={t('inbox:empty.description')} />
    </>
  );
}
