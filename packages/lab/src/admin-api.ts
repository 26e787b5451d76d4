// A small client of the cloud's admin API (Graph-shaped), signed in as the Global Administrator
// through the CLI's password grant; the token is renewed shortly before it expires.
import { signInAsAdmin } from '@cloudsync/cli/login-client';

/** A JSON answer of the admin API. */
export type Json = Record<string, unknown>;

/** A refused admin API call, with Graph's error code and message. */
export class AdminApiError extends Error {
  override name = 'AdminApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export interface AdminApi {
  get(path: string): Promise<Json>;
  post(path: string, body?: unknown): Promise<Json | undefined>;
  patch(path: string, body: unknown): Promise<void>;
}

/**
 * Signs in and returns the client.
 * @example const api = await connectAdminApi(cloudUrl, { username: adminUpn, password });
 */
export async function connectAdminApi(
  cloudUrl: string,
  admin: { username: string; password: string },
): Promise<AdminApi> {
  let token = await signInAsAdmin({ cloudUrl, ...admin });
  const bearer = async () => {
    if (token.expiresAt.getTime() - Date.now() < 60_000) token = await signInAsAdmin({ cloudUrl, ...admin });
    return token.accessToken;
  };
  const call = async (method: string, path: string, body?: unknown): Promise<Json | undefined> => {
    const res = await fetch(`${cloudUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await bearer()}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    // Admin API answers are JSON objects (Graph shape); error bodies are read through `error` below.
    const json = text ? (JSON.parse(text) as Json) : undefined;
    if (!res.ok) {
      const error = json?.error as { code?: string; message?: string } | undefined;
      throw new AdminApiError(
        `${method} ${path} answered ${res.status}: ${error?.message ?? text}`,
        res.status,
        error?.code,
      );
    }
    return json;
  };
  return {
    async get(path) {
      const json = await call('GET', path);
      if (!json) throw new AdminApiError(`GET ${path} answered no body`, 200, undefined);
      return json;
    },
    post: (path, body) => call('POST', path, body ?? {}),
    async patch(path, body) {
      await call('PATCH', path, body);
    },
  };
}
