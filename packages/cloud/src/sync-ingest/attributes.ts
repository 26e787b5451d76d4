import type { TargetAttributes, TargetValue } from '@cloudsync/protocol';

/** A mapped value as a single string, or null (lists give their first value; numbers their text). */
export function str(attributes: TargetAttributes, name: string): string | null | undefined {
  if (!(name in attributes)) return undefined;
  return toStr(attributes[name]);
}

function toStr(value: TargetValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value[0] ?? null;
  if (typeof value === 'string') return value === '' ? null : value;
  return String(value);
}

/** The mapped value of `name`, or `old` when the change leaves it out (left out means unchanged). */
export function strOr(
  attributes: TargetAttributes,
  name: string,
  old: string | null | undefined,
): string | null {
  const value = str(attributes, name);
  return value === undefined ? (old ?? null) : value;
}

/** A mapped value as a boolean, or `fallback` when absent or not a boolean-like value. */
export function bool(attributes: TargetAttributes, name: string, fallback: boolean): boolean {
  const value = attributes[name];
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'True') return true;
  if (value === 'false' || value === 'False') return false;
  return fallback;
}

/** One modified property of a provisioning-log entry. */
export interface ModifiedProperty {
  name: string;
  oldValue: string | null;
  newValue: string | null;
}

const show = (v: unknown): string | null =>
  v === null || v === undefined || v === '' ? null : typeof v === 'string' ? v : JSON.stringify(v);

/** The properties whose shown value differs between `before` (absent for a creation) and `after`. */
export function modifiedProperties(
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>>,
): ModifiedProperty[] {
  const out: ModifiedProperty[] = [];
  for (const [name, value] of Object.entries(after)) {
    const oldValue = before ? show(before[name]) : null;
    const newValue = show(value);
    if (oldValue !== newValue) out.push({ name, oldValue, newValue });
  }
  return out;
}
