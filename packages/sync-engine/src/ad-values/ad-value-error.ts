/** What was wrong with an AD value. */
export type AdValueErrorCode =
  | 'MALFORMED_GUID'
  | 'MALFORMED_SID'
  | 'MALFORMED_UAC'
  | 'MALFORMED_FILETIME'
  | 'MALFORMED_GENERALIZED_TIME'
  | 'MALFORMED_INTEGER'
  | 'MALFORMED_DN';

/**
 * A value read from AD that cannot be decoded. Carries a stable code and a short, safe description of
 * the value (its length or type, never a whole binary blob) so logs and provisioning entries stay small.
 */
export class AdValueError extends Error {
  readonly code: AdValueErrorCode;

  constructor(code: AdValueErrorCode, message: string) {
    super(message);
    this.name = 'AdValueError';
    this.code = code;
  }
}

/** A short description of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return JSON.stringify(shown);
  }
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value;
}
