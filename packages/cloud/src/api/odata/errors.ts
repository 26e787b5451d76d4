/** Graph's error codes for rejected query options: syntax is `BadRequest`, an unsupported clause is `Request_UnsupportedQuery`. */
export type ODataErrorCode = 'BadRequest' | 'Request_UnsupportedQuery';

/** Where in the request a query error was found, for logs and tests. */
export interface ODataErrorDetails {
  /** The query option that failed, e.g. `$filter`. */
  option?: string;
  /** 1-based character position inside that option's value. */
  position?: number;
  /** The Graph property the error is about. */
  property?: string;
}

/**
 * A query option the admin API refuses: always a 400, with a Graph error code and a message that is safe
 * to show to the caller (it names the option, the property or the position, never server internals).
 *
 * @example
 * ```ts
 * app.setErrorHandler((error, _request, reply) => {
 *   if (error instanceof ODataError) return reply.status(error.statusCode).send(error.toGraphError());
 *   throw error;
 * });
 * ```
 */
export class ODataError extends Error {
  override readonly name = 'ODataError';
  readonly statusCode = 400;
  /** Safe to send to the caller as it is (the convention of http-errors and oidc-provider). */
  readonly expose = true;

  constructor(
    readonly code: ODataErrorCode,
    message: string,
    readonly details: ODataErrorDetails = {},
  ) {
    super(message);
  }

  /** The body Graph sends with this error. */
  toGraphError(): { error: { code: ODataErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** A `$filter` syntax error, worded like Graph's ("Syntax error at position 17 in '…'"). */
export function filterSyntaxError(filter: string, index: number, reason: string): ODataError {
  const position = index + 1;
  return new ODataError(
    'BadRequest',
    `Invalid filter clause: Syntax error at position ${position} in '${filter}': ${reason}.`,
    { option: '$filter', position },
  );
}
