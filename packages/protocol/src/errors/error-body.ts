import { z } from 'zod';
import { messageSchema } from '../common.js';
import { ERROR_CODE_LIST, ERROR_CODES, type ErrorCode } from './error-codes.js';

/** A stable error code (see {@link ERROR_CODES}). */
export const errorCodeSchema = z.enum(ERROR_CODE_LIST);

/**
 * The one error body both sides send: the cloud on every non-2xx answer, the agent inside heartbeats
 * and job results.
 */
export const errorBodySchema = z.object({
  code: errorCodeSchema,
  message: messageSchema,
  retryable: z.boolean(),
  /** Machine-readable specifics (field path, AD result code, counts), small and flat. */
  details: z
    .record(z.string().max(64), z.union([z.string().max(1024), z.number(), z.boolean()]))
    .refine((d) => Object.keys(d).length <= 32, 'at most 32 details')
    .optional(),
  requestId: z.string().max(128).optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/**
 * Builds an error body with the code's safe default message.
 * @example
 *   reply.code(ERROR_CODES.CONFIG_NOT_FOUND.status).send(errorBody('CONFIG_NOT_FOUND'));
 */
export function errorBody(code: ErrorCode, overrides: Partial<Omit<ErrorBody, 'code'>> = {}): ErrorBody {
  const def = ERROR_CODES[code];
  return { code, message: def.message, retryable: def.retryable, ...overrides };
}

/** An Error carrying a protocol code, for either side to throw and turn into an {@link ErrorBody}. */
export class ProtocolError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly details: ErrorBody['details'];

  constructor(code: ErrorCode, message?: string, details?: ErrorBody['details']) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'ProtocolError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.retryable = ERROR_CODES[code].retryable;
    this.details = details;
  }

  toBody(requestId?: string): ErrorBody {
    return errorBody(this.code, {
      message: this.message,
      ...(this.details ? { details: this.details } : {}),
      ...(requestId ? { requestId } : {}),
    });
  }
}
