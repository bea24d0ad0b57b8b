import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { OfficeProfile, ServiceDefinition, VersionStatus } from '@shared/catalogue';
import { formatPrintedDate } from '../../i18n/format';

/**
 * What Reception says about what it offers: that no profile is published for this office (every
 * service is offered until one is), and that the chosen service's regulation is repealed with no
 * version in force published (it is still offered, under its last version).
 */
export function OfferNotes({
  office,
  profile,
  service,
  status,
}: {
  office: string;
  profile: OfficeProfile | null;
  service: ServiceDefinition | undefined;
  status: VersionStatus | null;
}): JSX.Element | null {
  const { t } = useTranslation();
  const notes: JSX.Element[] = [];
  if (!profile)
    notes.push(
      <p key="profile" className="note" data-testid="no-office-profile">
        {t('reception:offer.noProfile', { office })}
      </p>,
    );
  if (service && status === 'repealed' && service.validTo)
    notes.push(
      <p key="repealed" className="note warn" data-testid="service-repealed">
        {t('reception:offer.repealed', {
          date: formatPrintedDate(Date.parse(`${service.validTo}T12:00:00+05:00`)),
          version: service.version,
        })}
      </p>,
    );
  return notes.length > 0 ? <>{notes}</> : null;
}
