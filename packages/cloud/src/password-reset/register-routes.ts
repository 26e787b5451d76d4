import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AccountQueries } from '../sign-in/accounts.js';
import { checkCredentials, refusalMessage } from '../sign-in/check-credentials.js';
import type { SignInGuard } from '../sign-in/sign-in-guard.js';
import type { FlowStore } from './flows.js';
import { expired, type FormRequest, formBody, message, page } from './page-replies.js';
import { RESET_PATH, renderRegisterSignInPage } from './pages.js';
import type { PolicyStore } from './policy.js';
import type { RegistrationSteps, StepContext, StepPage } from './registration-steps.js';

export interface RegisterRouteDeps {
  accounts: AccountQueries;
  guard: SignInGuard;
  policies: PolicyStore;
  flows: FlowStore;
  steps: RegistrationSteps;
}

const BASE = `${RESET_PATH}/register`;
const send = (reply: FastifyReply, step: StepPage) => page(reply, step.status, step.body);

/**
 * `/password-reset/register`: a signed-in user adds a reset method on their own (the sign-in's
 * interruption offers the same steps when the policy requires registration).
 */
export function registerRegistrationRoutes(app: FastifyInstance, deps: RegisterRouteDeps): void {
  const { accounts, guard, policies, flows, steps } = deps;

  /** The step context of a registration flow in progress, or undefined when it is over. */
  async function contextOf(token: string): Promise<(StepContext & { userId: string }) | undefined> {
    const state = await flows.find(token);
    if (state?.purpose !== 'register') return undefined;
    const policy = await policies.get();
    const choice = {
      base: BASE,
      email: policy.methods.includes('email'),
      app: policy.methods.includes('authenticatorApp'),
    };
    return { flow: token, choice, userId: state.user_id };
  }

  app.get(BASE, async (_req, reply) => page(reply, 200, renderRegisterSignInPage({})));

  // Step 1: sign in with the password.
  app.post(BASE, { schema: { body: formBody } }, async (req: FormRequest, reply) => {
    const username = (req.body.username ?? '').trim();
    const check = await checkCredentials(accounts, username, req.body.password ?? '', {
      guard,
      clientAddress: req.ip,
    });
    if (!check.ok)
      return page(reply, 401, renderRegisterSignInPage({ username, error: refusalMessage(check) }));
    if (!(await policies.appliesTo(check.user.id)))
      return message(
        reply,
        403,
        'Not available',
        'Self-service password reset is not enabled for your account.',
      );
    const ctx = await contextOf(await flows.create(check.user.id, 'register'));
    if (!ctx) return expired(reply);
    return send(reply, await steps.choice(ctx));
  });

  // Step 2a: an e-mail address, proven by a code sent to it.
  app.post(`${BASE}/email`, { schema: { body: formBody } }, async (req: FormRequest, reply) => {
    const ctx = await contextOf(req.body.flow ?? '');
    return ctx ? send(reply, await steps.email(ctx, req.body.address ?? '')) : expired(reply);
  });

  // Step 2b: an authenticator app, from its key.
  app.post(`${BASE}/app`, { schema: { body: formBody } }, async (req: FormRequest, reply) => {
    const ctx = await contextOf(req.body.flow ?? '');
    const user = ctx && (await accounts.findById(ctx.userId));
    return ctx && user ? send(reply, await steps.app(ctx, user.userPrincipalName)) : expired(reply);
  });

  // Step 3: the code proves the address or the app; the method is saved.
  app.post(`${BASE}/verify`, { schema: { body: formBody } }, async (req: FormRequest, reply) => {
    const ctx = await contextOf(req.body.flow ?? '');
    if (!ctx) return expired(reply);
    const next = await steps.verify(ctx, req.body.code ?? '');
    if (next === 'ok')
      return message(reply, 200, 'Method registered', 'You can now reset your password yourself.');
    if (next === 'refused')
      return message(reply, 400, 'Code refused', 'The code has expired or was tried too often. Start again.');
    return send(reply, next);
  });
}
