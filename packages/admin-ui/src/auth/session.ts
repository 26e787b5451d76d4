// Sign-in with the cloud's OpenID provider: authorization code + PKCE, as a public client. The access
// token lives in sessionStorage (this tab only, gone when it closes); there is no refresh token: after
// its hour the admin signs in again (the provider's session cookie makes that one redirect).
import { codeChallenge, randomToken } from './pkce.js';

/** What the cloud tells the app at `/admin/config.json`. */
export interface AdminCenterConfig {
  issuer: string;
  clientId: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  resource: string;
}

export interface Session {
  accessToken: string;
  idToken: string | null;
  expiresAt: number;
}

const SESSION_KEY = 'cloudsync.admin.session';
const PENDING_KEY = 'cloudsync.admin.pending';

export async function loadConfig(): Promise<AdminCenterConfig> {
  const res = await fetch('/admin/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`The cloud did not give the admin center its settings (HTTP ${res.status}).`);
  const body: unknown = await res.json();
  if (!isConfig(body)) throw new Error('The admin center settings are not readable.');
  return body;
}

function isConfig(v: unknown): v is AdminCenterConfig {
  return (
    typeof v === 'object' &&
    v !== null &&
    ['issuer', 'clientId', 'redirectUri', 'postLogoutRedirectUri', 'resource'].every(
      (k) => typeof (v as Record<string, unknown>)[k] === 'string', // narrowing an object read from JSON
    )
  );
}

export function currentSession(now = Date.now()): Session | undefined {
  const raw = sessionStorage.getItem(SESSION_KEY);
  if (!raw) return undefined;
  try {
    const s = JSON.parse(raw) as Session; // written by storeSession below
    return s.expiresAt > now + 30_000 ? s : undefined;
  } catch {
    return undefined;
  }
}

export function forgetSession(): void {
  sessionStorage.removeItem(SESSION_KEY);
}

/** Sends the browser to the provider's sign-in page; `returnTo` is the hash to come back to. */
export async function startSignIn(config: AdminCenterConfig, returnTo: string): Promise<void> {
  const verifier = randomToken();
  const state = randomToken();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, returnTo }));
  const url = new URL(`${config.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    response_type: 'code',
    redirect_uri: config.redirectUri,
    scope: 'openid profile',
    resource: config.resource,
    state,
    code_challenge: await codeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  window.location.assign(url.toString());
}

/** On `/admin/callback`: checks the state, exchanges the code, and answers the hash to go back to. */
export async function completeSignIn(config: AdminCenterConfig, callbackUrl: string): Promise<string> {
  const params = new URL(callbackUrl).searchParams;
  const pendingRaw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const error = params.get('error');
  if (error) throw new Error(`Sign-in did not complete: ${params.get('error_description') ?? error}.`);
  if (!pendingRaw) throw new Error('This sign-in was not started in this tab. Sign in again.');
  const pending = JSON.parse(pendingRaw) as { verifier: string; state: string; returnTo: string }; // ours
  if (params.get('state') !== pending.state)
    throw new Error('The sign-in answer does not match. Sign in again.');
  const res = await fetch(`${config.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code') ?? '',
      redirect_uri: config.redirectUri,
      client_id: config.clientId,
      code_verifier: pending.verifier,
      resource: config.resource,
    }),
  });
  const body = (await res.json()) as {
    access_token?: string;
    id_token?: string;
    expires_in?: number;
    error?: string;
    error_description?: string;
  }; // the token endpoint answers JSON, errors included (RFC 6749 §5.2)
  if (!body.access_token) {
    throw new Error(
      `The token endpoint refused the sign-in: ${body.error_description ?? body.error ?? res.status}.`,
    );
  }
  const session: Session = {
    accessToken: body.access_token,
    idToken: body.id_token ?? null,
    expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000,
  };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return pending.returnTo || '#/';
}

/** Ends the provider session too (RP-initiated logout), then comes back to the admin center. */
export function signOut(config: AdminCenterConfig): void {
  const session = currentSession(0);
  forgetSession();
  const url = new URL(`${config.issuer}/session/end`);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    post_logout_redirect_uri: config.postLogoutRedirectUri,
    ...(session?.idToken ? { id_token_hint: session.idToken } : {}),
  }).toString();
  window.location.assign(url.toString());
}
