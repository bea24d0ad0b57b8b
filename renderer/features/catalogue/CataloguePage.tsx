import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, useParams } from 'react-router';
import { missingCalendarYear } from '@shared/calendar';
import { toLocalDate } from '@shared/calendar';
import { PageHeader } from '../../components/PageHeader';
import { useMinuteClock } from '../../components/useMinuteClock';
import { useCatalog } from '../../data';
import { useSession } from '../../state/session';
import { AdminView } from './AdminView';
import { CalendarView } from './CalendarView';
import { ServicesView } from './ServicesView';

/**
 * The catalogue (анықтамалық / справочник): every service with its versions, variants, documents,
 * results, deadlines and steps, each variant's process diagram; the working calendar by year; and,
 * for a catalogue administrator, publishing service versions, calendar years and office profiles.
 * It is the desk's own copy (data/catalog.ts), readable before anyone signs in.
 *
 * Routes under #/catalogue: `service/<id>[/<version>]`, `calendar[/<year>]`, `admin`.
 */
export function CataloguePage(): JSX.Element {
  const { t } = useTranslation();
  const rest = (useParams()['*'] ?? '').split('/').filter(Boolean);
  const isAdmin = useSession((s) => s.user?.role === 'catalog_admin');
  const years = useCatalog((s) => s.state.calendar.years);
  const today = toLocalDate(useMinuteClock());
  const missing = isAdmin ? missingCalendarYear(years, today) : null;
  const section = rest[0] === 'calendar' ? 'calendar' : rest[0] === 'admin' ? 'admin' : 'services';
  return (
    <>
      <PageHeader title={t('nav:catalogue')} />
      <div className="catalogue">
        <nav className="catalogue-tabs no-print" aria-label={t('nav:catalogue')}>
          <NavLink to="/catalogue" end className={section === 'services' ? 'active' : undefined}>
            {t('catalogue:tabs.services')}
          </NavLink>
          <NavLink to="/catalogue/calendar" className={section === 'calendar' ? 'active' : undefined}>
            {t('catalogue:tabs.calendar')}
          </NavLink>
          {isAdmin && (
            <NavLink
              to="/catalogue/admin"
              className={section === 'admin' ? 'active' : undefined}
              data-testid="catalogue-admin-tab"
            >
              {t('catalogue:tabs.admin')}
            </NavLink>
          )}
        </nav>
        {missing && (
          <p className="card calendar-warning no-print" role="alert" data-testid="calendar-warning">
            {t('catalogue:calendar.warning', { year: String(missing.year), days: missing.daysLeft })}
          </p>
        )}
        {section === 'calendar' ? (
          <CalendarView year={rest[1] ? Number(rest[1]) : null} today={today} />
        ) : section === 'admin' ? (
          <AdminView today={today} />
        ) : (
          <ServicesView
            serviceId={rest[0] === 'service' ? (rest[1] ?? null) : null}
            version={rest[2] ?? null}
            today={today}
          />
        )}
      </div>
    </>
  );
}
