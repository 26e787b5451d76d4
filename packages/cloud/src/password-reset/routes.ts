import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountQueries } from '../sign-in/accounts.js';
import { checkCredentials, refusalMessage } from '../sign-in/check-credentials.js';
import type { SignInGuard } from '../sign-in/sign-in-guard.js';
import type { StoreRateLimiter } from './counters.js';
import type { FlowStore } from './flows.js';
import { MAX_RESET_CHALLENGES, newCode } from './flows.js';
import { type MethodStore, maskEmail } from './methods.js';
import { expired, type FormRequest, formBody, message, page } from './page-replies.js';
import {
  RESET_PATH,
  renderChangePage,
  renderCodePage,
  renderMethodPage,
  renderNewPasswordPage,
  renderStartPage,
} from './pages.js';
import type { PolicyStore, ResetMethod } from './policy.js';
import { type CodeSender, totpStep } from './registration.js';
import type { PasswordResetter } from './reset-password.js';

export interface ResetRouteDeps {
  accounts: AccountQueries;
  guard: SignInGuard;
  policies: PolicyStore;
  methods: MethodStore;
  flows: FlowStore;
  sendCode: CodeSender;
  /** Code e-mails per user, shared with registration. */
  mails: StoreRateLimiter;
  /** Wrong codes per user a day: past it, even a right code is refused. */
  wrongCodes: StoreRateLimiter;
  resetPassword: PasswordResetter;
  log: FastifyBaseLogger;
}

/** Wrong reset codes one user may type in `WRONG_CODE_WINDOW_MS`, across flows and processes. */
export const MAX_WRONG_CODES_PER_DAY = 10;
export const WRONG_CODE_WINDOW_MS = 24 * 60 * 60_000;

/** "in 14 minutes", "in 40 seconds", "in 23 hours": when a refused request may come again. */
export function waitWords(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  if (seconds < 90 * 60) return `${Math.ceil(seconds / 60)} minutes`;
  return `${Math.ceil(seconds / 3600)} hours`;
}

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
  const { accounts, guard, policies, methods, flows, mails, wrongCodes } = deps;

  app.setErrorHandler((err, req, reply) => {
    req.log.error({ err }, 'password reset page failed');
    return message(reply, 500, 'Something went wrong', 'Your password was not changed. Try again later.');
  });

  /** A 429 page that says what happened and when to try again. */
  const refuse = (reply: FastifyReply, retryAfterSeconds: number, title: string, what: string) => {
    reply.header('retry-after', String(retryAfterSeconds));
    return message(reply, 429, title, `${what} Try again in ${waitWords(retryAfterSeconds)}.`);
  };

  // The sign-in guard's per-account and per-address limits: `reset:<name>` before the account is
  // known, `reset:<user id>` on the steps of a flow.
  const tooMany = (req: FastifyRequest, reply: FastifyReply, account: string): boolean => {
    const decision = guard.admit(`reset:${account}`, req.ip);
    if (decision.ok) return false;
    refuse(reply, decision.retryAfterSeconds, 'Too many attempts', 'There were too many attempts.');
    return true;
  };

  async function usableMethods(userId: string) {
    const policy = await policies.get();
    if (!(await policies.appliesTo(userId, policy))) return [];
    return (await methods.list(userId)).filter((m) => policy.methods.includes(m.kind));
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
    if (tooMany(req, reply, state.user_id)) return reply;
    const method = (await usableMethods(state.user_id)).find((m) => m.kind === req.body.method);
    if (!method) return expired(reply);
    const verify = { action: `${RESET_PATH}/verify`, flow: token };
    const code = method.kind === 'email' ? newCode() : undefined;
    if (!(await flows.challenge(token, method.kind, code))) {
      await flows.end(token);
      return message(
        reply,
        429,
        'Too many codes asked',
        `A code was asked for ${MAX_RESET_CHALLENGES} times in this reset. Start the reset again.`,
      );
    }
    if (code === undefined)
      return page(
        reply,
        200,
        renderCodePage({ ...verify, prompt: 'Enter the code your authenticator app shows.' }),
      );
    const mail = await mails.take(state.user_id);
    if (!mail.ok)
      return refuse(
        reply,
        mail.retryAfterSeconds,
        'Too many e-mails',
        'Too many codes were sent to your e-mail address: use another method, or wait.',
      );
    if (!(await deps.sendCode(method.value, code)))
      return message(
        reply,
        503,
        'E-mail unavailable',
        'The cloud cannot send e-mail: ask your administrator.',
      );
    const prompt = `We sent a code to ${maskEmail(method.value)}. It expires in 10 minutes.`;
    return page(reply, 200, renderCodePage({ ...verify, prompt }));
  });

  // Forgot, step 3: the code.
  app.post(`${RESET_PATH}/verify`, { schema: { body: formBody } }, async (req: FormRequest, reply) => {
    const token = req.body.flow ?? '';
    const code = req.body.code ?? '';
    const state = await flows.find(token);
    if (state?.purpose !== 'reset') return expired(reply);
    const userId = state.user_id;
    if (tooMany(req, reply, userId)) return reply;
    const capped = await wrongCodes.peek(userId);
    if (!capped.ok) {
      await flows.end(token);
      return refuse(
        reply,
        capped.retryAfterSeconds,
        'Too many wrong codes',
        'Too many wrong codes were typed for this account today, so no code is accepted now.',
      );
    }
    const secret = (await methods.list(userId)).find((m) => m.kind === 'authenticatorApp')?.value;
    const result = await flows.checkCode(token, code, async () => {
      const step = await totpStep(state.method === 'authenticatorApp' ? secret : undefined, code);
      if (step === undefined) return 'wrong';
      return (await methods.acceptTotpStep(userId, step)) ? 'ok' : 'reused';
    });
    if (result === 'ok') return page(reply, 200, renderNewPasswordPage({ flow: token }));
    if (result === 'wrong' || result === 'reused') {
      if (result === 'wrong') await wrongCodes.take(userId);
      const error =
        result === 'wrong'
          ? 'That code is not right.'
          : 'That code was already used. Wait for the next code your app shows.';
      return page(
        reply,
        401,
        renderCodePage({
          action: `${RESET_PATH}/verify`,
          flow: token,
          prompt: 'Enter the code again.',
          error,
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
    if (!outcome.ok && outcome.unknown) {
      // AD may take the password any moment: another try now would only race it.
      await flows.end(token);
      return message(reply, 202, 'Outcome not known yet', outcome.reason);
    }
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
    if (!outcome.ok && outcome.unknown) return message(reply, 202, 'Outcome not known yet', outcome.reason);
    if (!outcome.ok) return page(reply, 422, renderChangePage({ username, error: outcome.reason }));
    return message(
      reply,
      200,
      'Password changed',
      'Your password was changed. Sign in with your new password.',
    );
  });
}
