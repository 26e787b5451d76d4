// Errors of the uplink: every one carries a protocol code, so the agent can report it as is in its
// heartbeat's lastError and decide whether a retry can help.
import { ERROR_CODES, type ErrorBody, type ErrorCode, errorBody, errorBodySchema } from '@cloudsync/protocol';

/** A failed call to the cloud, with the cloud's error body (or one the agent made for a network failure). */
export class UplinkError extends Error {
  override readonly name = 'UplinkError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly body: ErrorBody;

  constructor(body: ErrorBody, status: number, options: { cause?: unknown } = {}) {
    super(body.message, { cause: options.cause });
    this.code = body.code;
    this.status = status;
    this.retryable = body.retryable;
    this.body = body;
  }
}

/** The cloud could not be reached (DNS, refused connection, timeout, TLS). */
export function unreachable(what: string, cause: unknown): UplinkError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new UplinkError(
    errorBody('CLOUD_UNREACHABLE', {
      message: `${ERROR_CODES.CLOUD_UNREACHABLE.message} (${what}: ${detail.slice(0, 300)})`,
    }),
    0,
    { cause },
  );
}

/** Turns a non-2xx answer into an UplinkError, using the protocol's error body when there is one. */
export function fromResponse(what: string, status: number, text: string): UplinkError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = errorBodySchema.safeParse(json);
  if (parsed.success) return new UplinkError(parsed.data, status);
  const code: ErrorCode =
    status === 401
      ? 'UNAUTHENTICATED'
      : status === 403
        ? 'FORBIDDEN'
        : status === 413
          ? 'PAYLOAD_TOO_LARGE'
          : status === 429
            ? 'RATE_LIMITED'
            : status >= 500 || status === 0
              ? 'CLOUD_UNREACHABLE'
              : 'VALIDATION_FAILED';
  return new UplinkError(
    errorBody(code, { message: `${what} answered HTTP ${status}: ${ERROR_CODES[code].message}` }),
    status,
  );
}

/** The error body to report for anything thrown. */
export function errorBodyOf(err: unknown): ErrorBody {
  if (err instanceof UplinkError) return err.body;
  const message = err instanceof Error ? err.message : String(err);
  return errorBody('INTERNAL', { message: message.slice(0, 2000) || ERROR_CODES.INTERNAL.message });
}
