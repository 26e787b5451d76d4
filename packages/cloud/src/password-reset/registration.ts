import type { FastifyBaseLogger } from 'fastify';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import { renderSVG } from 'uqr';
import type { StoreRateLimiter } from './counters.js';
import type { FlowStore } from './flows.js';
import { newCode } from './flows.js';
import type { Mailer } from './mailer.js';
import type { MethodStore } from './methods.js';
import type { ResetMethod } from './policy.js';

/** Sends a one-time code by e-mail; false when the cloud has no mailer. */
export type CodeSender = (to: string, code: string) => Promise<boolean>;

/**
 * The one e-mail that carries a verification code (reset and registration alike).
 * @example
 *   const sendCode = createCodeSender(mailer);
 *   if (!(await sendCode('adele@example.org', newCode()))) showMailUnavailable();
 */
export function createCodeSender(mailer: Mailer | undefined): CodeSender {
  return async (to, code) => {
    if (!mailer) return false;
    await mailer.send({
      to,
      subject: 'Your cloudsync verification code',
      text: `Your verification code is ${code}. It expires in 10 minutes. If you did not ask for it, ignore this message.`,
    });
    return true;
  };
}

/**
 * The time step of a TOTP code (one 30-second step either side of now); undefined when the code
 * is not right or there is no secret.
 */
export async function totpStep(secret: string | undefined, code: string): Promise<number | undefined> {
  if (!secret) return undefined;
  const result = await verifyTotp({ secret, token: code.trim(), epochTolerance: 30 });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}

export type EmailStart =
  | { ok: true; prompt: string }
  | { ok: false; reason: 'invalid_address' | 'mail_unavailable' }
  | { ok: false; reason: 'too_many'; retryAfterSeconds: number };

/**
 * Code e-mails (registration and reset together) one user may have sent in `MAIL_WINDOW_MS`,
 * counted in the store so every cloud process shares the count.
 */
export const MAX_REGISTRATION_MAILS = 5;
export const MAIL_WINDOW_MS = 15 * 60_000;

/** What the authenticator app needs: the key to type, the `otpauth://` URI and the URI as a QR code. */
export interface AppStart {
  secret: string;
  uri: string;
  /** An inline `<svg>` of the URI (no script, no style: fits the pages' CSP). */
  qrSvg: string;
}

/** `ok`: the method is saved; `wrong`: try again; `refused`: expired or tried too often, flow ended. */
export type RegistrationCheck = 'ok' | 'wrong' | 'refused';

export interface MethodRegistrationDeps {
  flows: FlowStore;
  methods: MethodStore;
  sendCode: CodeSender;
  /** The code e-mails a user may have sent (shared with reset: {@link MAX_REGISTRATION_MAILS}). */
  mails: StoreRateLimiter;
  /** Shown in the authenticator app beside the account name. */
  issuerName: string;
  log: FastifyBaseLogger;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * The steps of registering a reset method inside a `register` flow, shared by the registration
 * pages of `/password-reset/register` and the sign-in's "More information required" interruption:
 * an e-mail address proven by a code sent to it, or an authenticator app proven by a current code.
 * @example
 *   const registration = createMethodRegistration({ flows, methods, sendCode, mails, issuerName: 'cloudsync', log });
 *   const app = await registration.startApp(flowToken, 'adele@contoso.cloudsync.test');
 *   if ((await registration.verify(flowToken, code)) === 'ok') continueSignIn();
 */
export function createMethodRegistration(deps: MethodRegistrationDeps) {
  const { flows, methods, mails } = deps;
  return {
    /** Sends a code to `address`; the flow then waits for it. */
    async startEmail(token: string, rawAddress: string): Promise<EmailStart> {
      const address = rawAddress.trim();
      if (!EMAIL.test(address) || address.length > 254) return { ok: false, reason: 'invalid_address' };
      const state = await flows.find(token);
      // A signed-in user could otherwise make the cloud mail any address as often as they like.
      const admitted = await mails.take(state?.user_id ?? token);
      if (!admitted.ok)
        return { ok: false, reason: 'too_many', retryAfterSeconds: admitted.retryAfterSeconds };
      const code = newCode();
      await flows.challenge(token, 'email', code, address);
      if (!(await deps.sendCode(address, code))) return { ok: false, reason: 'mail_unavailable' };
      return { ok: true, prompt: `We sent a code to ${address}. It expires in 10 minutes.` };
    },

    /** A new TOTP secret for `accountName`; the flow then waits for a code the app computes from it. */
    async startApp(token: string, accountName: string): Promise<AppStart> {
      const secret = generateSecret();
      await flows.challenge(token, 'authenticatorApp', undefined, secret);
      const uri = generateURI({ issuer: deps.issuerName, label: accountName, secret });
      return { secret, uri, qrSvg: qrSvg(uri) };
    },

    /** Checks the code; on success saves the method and ends the flow. */
    async verify(token: string, code: string): Promise<RegistrationCheck> {
      const state = await flows.find(token);
      const pending = state?.pending_value;
      if (state?.purpose !== 'register' || !state.method || !pending) return 'refused';
      const kind: ResetMethod = state.method === 'authenticatorApp' ? 'authenticatorApp' : 'email';
      let step: number | undefined;
      const result = await flows.checkCode(token, code, async () => {
        step = await totpStep(kind === 'authenticatorApp' ? pending : undefined, code);
        return step === undefined ? 'wrong' : 'ok';
      });
      if (result === 'wrong') return 'wrong';
      await flows.end(token);
      if (result !== 'ok') return 'refused';
      // The proof's step is used: the same code cannot then reset the password.
      await methods.set(state.user_id, { kind, value: pending }, step);
      deps.log.info({ userId: state.user_id, method: kind }, 'reset method registered');
      return 'ok';
    },
  };
}

export type MethodRegistration = ReturnType<typeof createMethodRegistration>;

/** The QR code of `text` as an inline SVG image with a text alternative. */
function qrSvg(text: string): string {
  const svg = renderSVG(text, { ecc: 'M', border: 2, pixelSize: 5 });
  return svg.replace(
    /^<svg /,
    '<svg role="img" aria-label="QR image of the authenticator key" width="220" height="220" ',
  );
}
