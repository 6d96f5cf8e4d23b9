// The server's problem on a form: per-field messages go on their fields, anything else (and the
// problem's own sentence when no field took it) is returned for an alert above the form.
import type { FormInstance } from 'antd';
import { errorMessage, fieldErrors } from '../../api/client.ts';

export function showServerErrors(
  form: FormInstance,
  error: unknown,
  fields: readonly string[],
  language: string,
): string | null {
  const errors = fieldErrors(error, language);
  const known = errors.filter((e) => fields.includes(e.name));
  const unknown = errors.filter((e) => !known.includes(e));
  form.setFields(known.map((e) => ({ name: e.name, errors: e.errors })));
  return known.length > 0 && unknown.length === 0
    ? null
    : [errorMessage(error, language), ...unknown.flatMap((e) => e.errors)].join(' ');
}

/** '' and whitespace → null; other text trimmed. */
export const orNull = (v: string | null | undefined): string | null => {
  const s = (v ?? '').trim();
  return s === '' ? null : s;
};

/** The keys of `candidate` whose value differs from `current` (arrays compared by content). */
export function changed<T extends object>(
  candidate: T,
  current: Partial<Record<keyof T, unknown>>,
): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(candidate) as (keyof T)[]) {
    if (JSON.stringify(candidate[key] ?? null) !== JSON.stringify(current[key] ?? null))
      out[key] = candidate[key];
  }
  return out;
}
