// Calls to the cloud's admin API with the signed-in admin's token; Graph error bodies become ApiError.
import { currentSession, forgetSession } from '../auth/session.js';

/** An API refusal in words the page can show next to what caused it; `target` names the field. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly target?: string,
  ) {
    super(message);
  }
}

/** Raised when there is no valid token: the app shows its sign-in prompt. */
export class SignedOut extends ApiError {}

const listeners = new Set<() => void>();
/** Tells the app when a call found the session gone (expired, or the account was disabled). */
export function onSignedOut(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function graphError(status: number, body: unknown): ApiError {
  const error =
    typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'object'
      ? body.error
      : null;
  const get = (k: string) => {
    const v = error && k in error ? (error as Record<string, unknown>)[k] : undefined; // narrowed above
    return typeof v === 'string' ? v : undefined;
  };
  const message =
    get('message') ?? (status >= 500 ? 'The cloud failed to answer. Try again.' : `HTTP ${status}`);
  return new ApiError(status, get('code') ?? String(status), message, get('target'));
}

/**
 * One admin API call. `path` is `/v1.0/...` or an absolute `@odata.nextLink`.
 * @example const users = await api<List<User>>('GET', '/v1.0/users?$top=25');
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const session = currentSession();
  if (!session) {
    for (const l of listeners) l();
    throw new SignedOut(401, 'SignedOut', 'Your session has ended. Sign in again.');
  }
  const res = await fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${session.accessToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (res.status === 401) {
    forgetSession();
    for (const l of listeners) l();
    throw new SignedOut(401, 'SignedOut', 'Your session has ended. Sign in again.');
  }
  if (!res.ok) throw graphError(res.status, parsed);
  return parsed as T; // the admin API's response schemas define these shapes (see api/types.ts)
}

/** A Graph collection page. */
export interface List<T> {
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
}

/** Quotes a string for an OData `$filter` literal. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
