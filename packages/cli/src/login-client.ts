// The CLI's side of signing in to the cloud: OAuth 2.0 requests with fetch only, so the agent install
// wizard, the lab and tests can call it without loading the cloud.

/** Client id of the command line, built into every cloud. */
export const CLI_CLIENT_ID = 'cloudsync-cli';
/** The admin API, as a resource indicator. */
export const GRAPH_RESOURCE = 'urn:cloudsync:graph';

/** A token for the admin API. */
export interface SignInResult {
  accessToken: string;
  expiresAt: Date;
  refreshToken?: string;
}

/** Signing in failed; `message` says what to do next. `code` is the OAuth error when there is one. */
export class LoginError extends Error {
  override name = 'LoginError';
  constructor(
    message: string,
    readonly code?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

interface Endpoints {
  token_endpoint: string;
  device_authorization_endpoint: string;
}

interface TokenResponse {
  access_token?: string;
  expires_in?: number;
  refresh_token?: string;
  error?: string;
  error_description?: string;
}

/** The issuer of a cloud: its public URL followed by `/oauth2`. */
export function issuerOf(cloudUrl: string): string {
  return `${cloudUrl.replace(/\/+$/, '')}/oauth2`;
}

async function discover(cloudUrl: string): Promise<Endpoints> {
  const url = `${issuerOf(cloudUrl)}/.well-known/openid-configuration`;
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' } });
  } catch (err) {
    throw new LoginError(
      `cannot reach the cloud at ${cloudUrl}: check the URL and that the cloud is running`,
      undefined,
      {
        cause: err,
      },
    );
  }
  if (!res.ok)
    throw new LoginError(`${cloudUrl} does not look like a cloudsync cloud (${url} answered ${res.status})`);
  // Discovery metadata is a JSON object; the two fields used are checked just below.
  const meta = (await res.json()) as Partial<Endpoints>;
  if (!meta.token_endpoint || !meta.device_authorization_endpoint) {
    throw new LoginError(`${cloudUrl} publishes no token or device endpoint`);
  }
  return {
    token_endpoint: meta.token_endpoint,
    device_authorization_endpoint: meta.device_authorization_endpoint,
  };
}

async function postForm(
  url: string,
  fields: Record<string, string>,
): Promise<{ status: number; body: TokenResponse }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(fields).toString(),
  });
  // The token and device endpoints answer JSON objects, errors included (RFC 6749 §5.2).
  return { status: res.status, body: (await res.json()) as TokenResponse };
}

function toResult(body: TokenResponse): SignInResult {
  if (!body.access_token || !body.expires_in)
    throw new LoginError('the cloud answered without an access token');
  const result: SignInResult = {
    accessToken: body.access_token,
    expiresAt: new Date(Date.now() + body.expires_in * 1000),
  };
  if (body.refresh_token) result.refreshToken = body.refresh_token;
  return result;
}

/**
 * Signs in unattended with a user name and password (the password grant, which the cloud allows to
 * `cloudsync-cli` only). Used by `cloudsync login --password-stdin`, the agent install wizard and the lab.
 * @example
 *   const { accessToken } = await signInAsAdmin({ cloudUrl: 'https://cloud.example', username, password });
 */
export async function signInAsAdmin(input: {
  cloudUrl: string;
  username: string;
  password: string;
}): Promise<{ accessToken: string; expiresAt: Date }> {
  const { token_endpoint } = await discover(input.cloudUrl);
  const { body } = await postForm(token_endpoint, {
    grant_type: 'password',
    client_id: CLI_CLIENT_ID,
    username: input.username,
    password: input.password,
    resource: GRAPH_RESOURCE,
  });
  if (body.error)
    throw new LoginError(`sign-in refused: ${body.error_description ?? body.error}`, body.error);
  const { accessToken, expiresAt } = toResult(body);
  return { accessToken, expiresAt };
}

/**
 * Exchanges a refresh token (from the device flow) for a new admin API token.
 * @example
 *   const next = await refreshSignIn({ cloudUrl, refreshToken: saved.refreshToken });
 */
export async function refreshSignIn(input: {
  cloudUrl: string;
  refreshToken: string;
}): Promise<SignInResult> {
  const { token_endpoint } = await discover(input.cloudUrl);
  const { body } = await postForm(token_endpoint, {
    grant_type: 'refresh_token',
    client_id: CLI_CLIENT_ID,
    refresh_token: input.refreshToken,
    resource: GRAPH_RESOURCE,
  });
  if (body.error) {
    throw new LoginError('your sign-in has expired or was revoked: run `cloudsync login` again', body.error);
  }
  return toResult(body);
}

/** A device sign-in under way: show `verificationUri` and `userCode`, then `wait()`. */
export interface DeviceSignIn {
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  expiresAt: Date;
  /** Polls the cloud until the user has signed in (or refused, or the code expired). */
  wait(options?: { signal?: AbortSignal }): Promise<SignInResult>;
}

interface DeviceResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete?: string;
  expires_in: number;
  interval?: number;
}

/**
 * Starts the device authorization flow (RFC 8628) for `cloudsync-cli`: the user signs in in any
 * browser, where the sign-in page can do everything it does for web apps.
 * @example
 *   const device = await startDeviceSignIn({ cloudUrl });
 *   console.log(`Open ${device.verificationUri} and enter ${device.userCode}`);
 *   const token = await device.wait();
 */
export async function startDeviceSignIn(input: { cloudUrl: string }): Promise<DeviceSignIn> {
  const endpoints = await discover(input.cloudUrl);
  const res = await fetch(endpoints.device_authorization_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      client_id: CLI_CLIENT_ID,
      scope: 'openid offline_access',
      resource: GRAPH_RESOURCE,
    }).toString(),
  });
  // A JSON object (RFC 8628 §3.2); every field used is checked just below.
  const body = (await res.json()) as Partial<DeviceResponse> & TokenResponse;
  if (!res.ok || !body.device_code || !body.user_code || !body.verification_uri || !body.expires_in) {
    throw new LoginError(
      `the cloud refused to start a device sign-in: ${body.error_description ?? res.status}`,
    );
  }
  const device: DeviceResponse = {
    device_code: body.device_code,
    user_code: body.user_code,
    verification_uri: body.verification_uri,
    expires_in: body.expires_in,
    interval: body.interval ?? 5,
  };
  const started: DeviceSignIn = {
    userCode: device.user_code,
    verificationUri: device.verification_uri,
    expiresAt: new Date(Date.now() + device.expires_in * 1000),
    wait: (options) => pollDevice(endpoints.token_endpoint, device, options?.signal),
  };
  if (body.verification_uri_complete) started.verificationUriComplete = body.verification_uri_complete;
  return started;
}

async function pollDevice(
  tokenEndpoint: string,
  device: DeviceResponse,
  signal?: AbortSignal,
): Promise<SignInResult> {
  let intervalMs = (device.interval ?? 5) * 1000;
  for (;;) {
    await sleep(intervalMs, signal);
    const { body } = await postForm(tokenEndpoint, {
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      client_id: CLI_CLIENT_ID,
      device_code: device.device_code,
    });
    switch (body.error) {
      case undefined:
        return toResult(body);
      case 'authorization_pending':
        continue;
      case 'slow_down':
        intervalMs += 5000;
        continue;
      case 'expired_token':
        throw new LoginError(
          'the code expired before sign-in finished: run `cloudsync login` again',
          body.error,
        );
      case 'access_denied':
        throw new LoginError('sign-in was cancelled in the browser', body.error);
      default:
        throw new LoginError(`sign-in failed: ${body.error_description ?? body.error}`, body.error);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
