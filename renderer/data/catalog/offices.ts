import { useMemo } from 'react';
import {
  currentCatalogue,
  offeredService,
  type Catalogue,
  type OfficeProfile,
  type VersionStatus,
} from '@shared/catalogue';
import { useCatalog } from './catalogStore';

/** An office's profile from the catalogue (`office:<CODE>`), or null when none is published. */
export function useOfficeProfile(office: string | null): OfficeProfile | null {
  const offices = useCatalog((s) => s.state.offices);
  return office ? (offices.get(office) ?? null) : null;
}

/**
 * What Reception offers today at `office`: the version of each service in force (shared/catalogue
 * versions.ts), only its providers' services through the channels it serves when its profile is
 * published. Without a profile every service is offered, and Reception says so: an office whose
 * profile is not yet published keeps working.
 */
export function useOfferedCatalogue(
  office: string | null,
  today: string,
): { catalogue: Catalogue & { status: (id: string) => VersionStatus | null }; profile: OfficeProfile | null } {
  const catalogue = useCatalog((s) => s.state.catalogue);
  const profile = useOfficeProfile(office);
  return useMemo(
    () => ({
      catalogue: currentCatalogue(catalogue, today, profile ? (s) => offeredService(profile, s) : undefined),
      profile,
    }),
    [catalogue, today, profile],
  );
}
