import { validationRulesFromKinds, type ValidationRules } from '../shared/couch';
import { KIND_ROLES } from '../shared/events';

/** The server-side validation rules: the workflow's table of which role may record which event kind. */
export function validationRules(): ValidationRules {
  return validationRulesFromKinds(KIND_ROLES);
}
