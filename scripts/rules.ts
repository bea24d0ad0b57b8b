import type { ValidationRules } from '../shared/couch';

/**
 * The server-side validation rules, derived from the workflow's table of which role may record
 * which event kind.
 * TODO(data layer): take this from shared/workflow's KIND_ROLES once the engine lands.
 */
export function validationRules(): ValidationRules {
  return { kinds: {} };
}
