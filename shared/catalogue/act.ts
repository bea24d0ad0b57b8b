import type { ActForm } from './schema';

/**
 * The inspection act's entries (акт обследования / тексеру актісі), as recorded in an
 * `act_recorded` event: by field id, a text, a number, a date 'YYYY-MM-DD', yes/no, or an option id.
 */
export type ActValue = string | number | boolean;
export type ActValues = Record<string, ActValue>;

/** A problem with an entry: the field and a key under `card:act.errors`. */
export interface ActProblem {
  field: string;
  code: 'required' | 'type' | 'unknownField' | 'unknownOption' | 'date';
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const empty = (v: ActValue | undefined): boolean => v === undefined || (typeof v === 'string' && v.trim() === '');

/** Every problem of the entries against the act's form; none means the act may be recorded. */
export function actProblems(form: ActForm, values: ActValues): ActProblem[] {
  const problems: ActProblem[] = [];
  for (const id of Object.keys(values))
    if (!form.fields.some((f) => f.id === id)) problems.push({ field: id, code: 'unknownField' });
  for (const f of form.fields) {
    const v = values[f.id];
    if (empty(v)) {
      if (f.required) problems.push({ field: f.id, code: 'required' });
      continue;
    }
    switch (f.type) {
      case 'text':
      case 'textarea':
        if (typeof v !== 'string') problems.push({ field: f.id, code: 'type' });
        break;
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) problems.push({ field: f.id, code: 'type' });
        break;
      case 'date':
        if (typeof v !== 'string' || !ISO_DATE.test(v)) problems.push({ field: f.id, code: 'date' });
        break;
      case 'yes_no':
        if (typeof v !== 'boolean') problems.push({ field: f.id, code: 'type' });
        break;
      case 'choice':
        if (typeof v !== 'string') problems.push({ field: f.id, code: 'type' });
        else if (!f.options?.some((o) => o.id === v)) problems.push({ field: f.id, code: 'unknownOption' });
        break;
    }
  }
  return problems;
}

/** The entries without the empty ones: what is recorded. */
export function actEntries(values: ActValues): ActValues {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => !empty(v)));
}
