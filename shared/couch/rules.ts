import type { ValidationRules } from './validateDocUpdate';

/** The server's rules from the workflow's table of which role may record which event kind. */
export function validationRulesFromKinds(kindRoles: Readonly<Record<string, readonly string[]>>): ValidationRules {
  const kinds: Record<string, string[]> = {};
  for (const [kind, roles] of Object.entries(kindRoles)) kinds[kind] = [...roles];
  return { kinds };
}
