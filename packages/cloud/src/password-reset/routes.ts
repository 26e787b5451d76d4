import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import type { AccountQueries } from '../sign-in/accounts.js';
import { checkCredentials, refusalMessage } from '../sign-in/check-credentials.js';
import { PAGE_HEADERS, html as safe } from '../sign-in/pages/layout.js';
import { renderMessagePage } from '../sign-in/pages/message-page.js';
import type { SignInGuard } from '../sign-in/sign-in-guard.js';
import type { FlowStore } from './flows.js';
import { newCode } from './flows.js';
import type { Mailer } from './mailer.js';
import { type MethodStore, maskEmail } from './methods.js';
import {
  RESET_PATH,
  renderChangePage,
  renderCodePage,
  renderMethodPage,
  renderNewPasswordPage,
  renderRegisterChoicePage,
  renderRegisterSignInPage,
  renderStartPage,
} from './pages.js';
import type { PolicyStore, ResetMethod } from './policy.js';
import type { PasswordResetter } from './reset-password.js';

export interface ResetRouteDeps {
  accounts: AccountQueries;
  guard: SignInGuard;
  policies: PolicyStore;
  methods: MethodStore;
  flows: FlowStore;
  mailer: Mailer | undefined;
  resetPassword: PasswordResetter;
  /** Shown in the authenticator app beside the account name. */
  issuerName: string;
  log: FastifyBaseLogger;
}

type Form = Record<string, string | undefined>;
type FormRequest = FastifyRequest<{ Body: Form }>;

const field = { type: 'string', maxLength: 1024 } as const;
const formBody = {
  type: 'object',
  properties: Object.fromEntries(
    [
      'username',
      'password',
      'flow',
      'method',
      'code',
      'newPassword',
      'confirmPassword',
      'currentPassword',
      'address',
    ].map((k) => [k, field]),
  ),
} as const;

const page = (reply: FastifyReply, status: number, body: string) =>
  reply.code(status).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(body);
const message = (reply: FastifyReply, status: number, title: string, text: string) =>
  page(reply, status, renderMessagePage(title, text, safe`<p><a href="${RESET_PATH}">Start again</a></p>`));
const expired = (reply: FastifyReply) =>
  message(reply, 400, 'Reset expired', 'This page has expired. Start again.');
const METHOD_LABELS: Record<ResetMethod, string> = {
  email: 'E-mail me a code',
  authenticatorApp: 'Use a code from my authenticator app',
};
const CANNOT_RESET =
  'You cannot reset this password here: the account does not exist, self-service reset is not enabled for it, or it has no reset method registered. Ask your administrator.';

/**
 * The self-service password pages at `/password-reset`: forgot (reset with a one-time code), change
 * (knowing the current password), and registration of reset methods. Each handler is one step.
 */
export function registerResetRoutes(app: FastifyInstance, deps: ResetRouteDeps): void {
  const { accounts, guard, policies, methods, flows } = deps;

  app.setErrorHandler((err, req, reply) => {
    req.log.error({ err }, 'password reset page failed');
    return message(reply, 500, 'Something went wrong', 'Your password was not changed. Try again later.');
  });

  const tooMany = (req: FastifyRequest, reply: FastifyReply, username: string): boolean => {
    const decision = guard.admit(`reset:${username}`, req.ip);
    if (decision.ok) return false;
    reply.header('retry-after', String(decision.retryAfterSeconds));
    message(reply, 429, 'Too many attempts', `Wait ${decision.retryAfterSeconds} seconds, then try again.`);
    return true;
  };

  async function usableMethods(userId: string) {
    const policy = await policies.get();
    if (!(await policies.appliesTo(userId, policy))) return [];
    return (await methods.list(userId)).filter((m) => policy.methods.includes(m.kind));
  }

  async function sendCode(to: string, code: string): Promise<boolean> {
    if (!deps.mailer) return false;
    await deps.mailer.send({
      to,
      subject: 'Your cloudsync verification code',
      text: `Your verification code is ${code}. It expires in 10 minutes. If you did not ask for it, ignore this message.`,
    });
    return true;
  }

  app.get(RESET_PATH, async (_req, reply) => page(reply, 200, renderStartPage({})));

  // Forgot, step 1: the account, and the methods it may use.
  app.post(RESET_PATH, { schema: { body: formBody } }, async (req: FormRequest, reply) => {
    const username = (req.body.username ?? '').trim();
    if (tooMany(req, reply, username)) return reply;
    const user = username ? await accounts.findByUpn(username) : undefined;
    const usable = user?.accountEnabled && !user.deleted ? await usableMethods(user.id) : [];
    if (!user || usable.length === 0)
      return page(reply, 403, renderStartPage({ username, error: CANNOT_RESET }));
    const flow = await flows.create(user.id, 'reset');
    const choices = usable.map((m) => ({
      method: m.kind,
      label: m.kind === 'email' ? `${METHOD_LABELS.email} at ${maskEmail(m.value)}` : METHOD_LABELS[m.kind],
    }));
    return page(reply, 200, renderMethodPage({ flow, choices }));
  });

  // Forgot, step 2: send the e-mail code, or ask for the authenticator's.
  app.post(`${RESET_PATH}/method`, { schema: { body: formBody } }, async (req: FormRequest, reply) => {
    const token = req.body.flow ?? '';
    const state = await flows.find(token);
    if (state?.purpose !== 'reset') return expired(reply);
    const method = (await usableMethods(state.user_id)).find((m) => m.kind === req.body.method);
    if (!method) return expired(reply);
    const verify = { action: `${RESET_PATH}/verify`, flow: token };
    if (method.kind === 'authenticatorApp') {
      await flows.challenge(token, method.kind, undefined);
      return page(
        reply,
        200,
        renderCodePage({ ...verify, prompt: 'Enter the code your authenticator app shows.' }),
      );
    }
    const code = newCode();
    await flows.challenge(token, method.kind, code);
    if (!(await sendCode(method.value, code)))
      return message(
        reply,
        503,
        'E-mail unavailable',
        'The cloud cannot send e-mail: ask your administrator.',
      );
    const prompt = `We sent a code to ${maskEmail(method.value)}. It expires in 10 minutes.`;
    return page(reply, 200, renderCodePage({ ...verify, prompt }));
  });

  const totpCheck = (secret: string | undefined, code: string) => async () =>
    secret ? (await verifyTotp({ secret, token: code.trim(), epochTolerance: 30 })).valid : false;

  // Forgot, step 3: the code.
  app.post(`${RESET_PATH}/verify`, { schema: { body: formBody } }, async (req: FormRequest, reply) => {
    const token = req.body.flow ?? '';
    const code = req.body.code ?? '';
    const state = await flows.find(token);
    if (state?.purpose !== 'reset') return expired(reply);
    const secret = (await methods.list(state.user_id)).find((m) => m.kind === 'authenticatorApp')?.value;
    const result = await flows.checkCode(
      token,
      code,
      totpCheck(state.method === 'authenticatorApp' ? secret : undefined, code),
    );
    if (result === 'ok') return page(reply, 200, renderNewPasswordPage({ flow: token }));
    if (result === 'wrong') {
      const prompt = 'Enter the code again.';
      return page(
        reply,
        401,
        renderCodePage({
          action: `${RESET_PATH}/verify`,
          flow: token,
          prompt,
          error: 'That code is not right.',
        }),
      );
    }
    await flows.end(token);
    const why = result === 'too_many' ? 'Too many wrong codes.' : 'The code has expired or was already used.';
    return message(reply, 400, 'Code refused', `${why} Start again to get a new code.`);
  });

  // Forgot, step 4: the new password, written to AD first for synced users.
  app.post(`${RESET_PATH}/password`, { schema: { body: formBody } }, async (req: FormRequest, reply) => {
    const token = req.body.flow ?? '';
    const state = await flows.find(token);
    if (state?.purpose !== 'reset' || !state.verified_at) return expired(reply);
    const newPassword = req.body.newPassword ?? '';
    if (!newPassword || newPassword !== req.body.confirmPassword)
      return page(
        reply,
        400,
        renderNewPasswordPage({ flow: token, error: 'The two passwords are not the same.' }),
      );
    const outcome = await deps.resetPassword(state.user_id, newPassword, 'password-reset');
    if (!outcome.ok) return page(reply, 422, renderNewPasswordPage({ flow: token, error: outcome.reason }));
    await flows.end(token);
    return message(reply, 200, 'Password reset', 'Your password was reset. Sign in with your new password.');
  });

  app.get(`${RESET_PATH}/change`, async (_req, reply) => page(reply, 200, renderChangePage({})));

  // Change: the current password proves who asks (and counts towards lockout).
  app.post(`${RESET_PATH}/change`, { schema: { body: formBody } }, async (req: FormRequest, reply) => {
    const username = (req.body.username ?? '').trim();
    const current = req.body.currentPassword ?? '';
    const newPassword = req.body.newPassword ?? '';
    if (!newPassword || newPassword !== req.body.confirmPassword)
      return page(
        reply,
        400,
        renderChangePage({ username, error: 'The two new passwords are not the same.' }),
      );
    const check = await checkCredentials(accounts, username, current, { guard, clientAddress: req.ip });
    if (!check.ok) {
      if (check.retryAfterSeconds) reply.header('retry-after', String(check.retryAfterSeconds));
      return page(
        reply,
        check.refusal === 'rate_limited' ? 429 : 401,
        renderChangePage({ username, error: refusalMessage(check) }),
      );
    }
    const outcome = await deps.resetPassword(check.user.id, newPassword, 'password-change', current);
    if (!outcome.ok) return page(reply, 422, renderChangePage({ username, error: outcome.reason }));
    return message(
      reply,
      200,
      'Password changed',
      'Your password was changed. Sign in with your new password.',
    );
  });

  app.get(`${RESET_PATH}/register`, async (_req, reply) => page(reply, 200, renderRegisterSignInPage({})));

  // Registration, step 1: sign in with the password.
  app.post(`${RESET_PATH}/register`, { schema: { body: formBody } }, async (req: FormRequest, reply) => {
    const username = (req.body.username ?? '').trim();
    const check = await checkCredentials(accounts, username, req.body.password ?? '', {
      guard,
      clientAddress: req.ip,
    });
    if (!check.ok)
      return page(reply, 401, renderRegisterSignInPage({ username, error: refusalMessage(check) }));
    const policy = await policies.get();
    if (!(await policies.appliesTo(check.user.id, policy)))
      return message(
        reply,
        403,
        'Not available',
        'Self-service password reset is not enabled for your account.',
      );
    const flow = await flows.create(check.user.id, 'register');
    const choice = {
      flow,
      email: policy.methods.includes('email'),
      app: policy.methods.includes('authenticatorApp'),
    };
    return page(reply, 200, renderRegisterChoicePage(choice));
  });

  // Registration, step 2a: an e-mail address, proven by a code sent to it.
  app.post(
    `${RESET_PATH}/register/email`,
    { schema: { body: formBody } },
    async (req: FormRequest, reply) => {
      const token = req.body.flow ?? '';
      const state = await flows.find(token);
      if (state?.purpose !== 'register') return expired(reply);
      const address = (req.body.address ?? '').trim();
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address) || address.length > 254) {
        const error = 'Enter an e-mail address such as someone@example.com.';
        return page(reply, 400, renderRegisterChoicePage({ flow: token, email: true, app: false, error }));
      }
      const code = newCode();
      await flows.challenge(token, 'email', code, address);
      if (!(await sendCode(address, code)))
        return message(
          reply,
          503,
          'E-mail unavailable',
          'The cloud cannot send e-mail: ask your administrator.',
        );
      const prompt = `We sent a code to ${address}. It expires in 10 minutes.`;
      return page(
        reply,
        200,
        renderCodePage({ action: `${RESET_PATH}/register/verify`, flow: token, prompt }),
      );
    },
  );

  // Registration, step 2b: an authenticator app, from its otpauth URI.
  app.post(`${RESET_PATH}/register/app`, { schema: { body: formBody } }, async (req: FormRequest, reply) => {
    const token = req.body.flow ?? '';
    const state = await flows.find(token);
    if (state?.purpose !== 'register') return expired(reply);
    const user = await accounts.findById(state.user_id);
    if (!user) return expired(reply);
    const secret = generateSecret();
    await flows.challenge(token, 'authenticatorApp', undefined, secret);
    const uri = generateURI({ issuer: deps.issuerName, label: user.userPrincipalName, secret });
    const extra = safe`<p>Add this account to your authenticator app: open <a id="otpauth" href="${uri}">this link</a> on your phone, or type the key <code id="totp-secret">${secret}</code>.</p>`;
    const prompt = 'Then enter the code the app shows.';
    return page(
      reply,
      200,
      renderCodePage({ action: `${RESET_PATH}/register/verify`, flow: token, prompt, extra }),
    );
  });

  // Registration, step 3: the code proves the address or the app; the method is saved.
  app.post(
    `${RESET_PATH}/register/verify`,
    { schema: { body: formBody } },
    async (req: FormRequest, reply) => {
      const token = req.body.flow ?? '';
      const code = req.body.code ?? '';
      const state = await flows.find(token);
      if (state?.purpose !== 'register' || !state.method || !state.pending_value) return expired(reply);
      const kind: ResetMethod = state.method === 'authenticatorApp' ? 'authenticatorApp' : 'email';
      const result = await flows.checkCode(
        token,
        code,
        totpCheck(kind === 'authenticatorApp' ? state.pending_value : undefined, code),
      );
      if (result === 'wrong') {
        const action = `${RESET_PATH}/register/verify`;
        return page(
          reply,
          401,
          renderCodePage({
            action,
            flow: token,
            prompt: 'Enter the code again.',
            error: 'That code is not right.',
          }),
        );
      }
      await flows.end(token);
      if (result !== 'ok')
        return message(
          reply,
          400,
          'Code refused',
          'The code has expired or was tried too often. Start again.',
        );
      await methods.set(state.user_id, { kind, value: state.pending_value });
      deps.log.info({ userId: state.user_id, method: kind }, 'reset method registered');
      return message(reply, 200, 'Method registered', 'You can now reset your password yourself.');
    },
  );
}
