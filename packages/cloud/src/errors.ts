/** Error codes the cloud returns, spelled as Microsoft Graph spells them. */
export type GraphErrorCode =
  | 'BadRequest'
  | 'Request_BadRequest'
  | 'Request_ResourceNotFound'
  | 'Request_UnsupportedQuery'
  | 'Authorization_RequestDenied'
  | 'InvalidAuthenticationToken'
  | 'Request_MultipleObjectsWithSameKeyValue'
  | 'Request_TooManyRequests'
  | 'Service_InternalServerError';

/**
 * An error with a stable code, an HTTP status and a message safe to show the caller.
 * `target` names the property or parameter at fault, when there is one.
 */
export class CloudError extends Error {
  override name = 'CloudError';
  constructor(
    readonly code: GraphErrorCode,
    readonly status: number,
    message: string,
    readonly target?: string,
  ) {
    super(message);
  }

  /** Whether the message may be shown to the caller (never for server faults). */
  get expose(): boolean {
    return this.status < 500;
  }
}

/** 400 `Request_BadRequest`, naming the property at fault when there is one. */
export function badRequest(message: string, target?: string): CloudError {
  return new CloudError('Request_BadRequest', 400, message, target);
}

/** 404 `Request_ResourceNotFound` with Graph's wording. */
export function notFound(id: string): CloudError {
  return new CloudError(
    'Request_ResourceNotFound',
    404,
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

/** 403 `Authorization_RequestDenied` with Graph's wording. */
export function forbidden(): CloudError {
  return new CloudError(
    'Authorization_RequestDenied',
    403,
    'Insufficient privileges to complete the operation.',
  );
}

/** 401 `InvalidAuthenticationToken`. */
export function unauthenticated(message = 'Access token is empty or invalid.'): CloudError {
  return new CloudError('InvalidAuthenticationToken', 401, message);
}

/** 400 naming a property the caller may not set (read-only, or unknown to the resource). */
export function readOnlyProperty(property: string): CloudError {
  return badRequest(`Property '${property}' is read-only and cannot be set.`, property);
}

/** 400 for a unique value that another object already holds (Graph's wording). */
export function duplicateValue(property: string): CloudError {
  return badRequest(`Another object with the same value for property ${property} already exists.`, property);
}

/** 400 naming a property that synced objects do not let the cloud change. */
export function syncMastered(property: string): CloudError {
  return badRequest(
    'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects ' +
      `currently undergoing migration. Property '${property}' is managed by on-premises sync; change it in ` +
      'the on-premises directory.',
    property,
  );
}

/** Graph's error body: `{"error":{"code","message","target?","innerError"}}`. */
export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    target?: string;
    innerError: { date: string; 'request-id': string };
  };
}

/** Turns any thrown value into a status and a Graph error body that leaks nothing internal. */
export function toGraphError(
  err: unknown,
  requestId: string,
  now: Date,
): { status: number; body: GraphErrorBody } {
  const innerError = { date: now.toISOString().replace(/\.\d{3}Z$/, 'Z'), 'request-id': requestId };
  if (err instanceof CloudError && err.expose) {
    const error: GraphErrorBody['error'] = { code: err.code, message: err.message, innerError };
    if (err.target) error.target = err.target;
    return { status: err.status, body: { error } };
  }
  return {
    status: 500,
    body: {
      error: { code: 'Service_InternalServerError', message: 'An internal error occurred.', innerError },
    },
  };
}
