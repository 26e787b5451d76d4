import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import type { RegistrationStepContext, SignInRegistration } from '../password-reset/index.js';
import type { AccountQueries } from './accounts.js';
import { expired, finish, type InteractionDetails, interaction, sendPage, uidParams } from './interaction.js';
import { html } from './pages/layout.js';

export interface RegistrationInterruptDeps {
  provider: Provider;
  accounts: AccountQueries;
  log: FastifyBaseLogger;
  /** Password reset's side of the interruption; none (no interruption) while it is not mounted. */
  registration: () => SignInRegistration | undefined;
  /** `/sign-in`: the interaction pages' base path. */
  base: string;
}

type StepRequest = FastifyRequest<{
  Params: { uid: string };
  Body: { flow?: string; address?: string; code?: string };
}>;

const stepBody = {
  type: 'object',
  properties: {
    flow: { type: 'string', maxLength: 128 },
    address: { type: 'string', maxLength: 1024 },
    code: { type: 'string', maxLength: 64 },
  },
} as const;

/**
 * What the interaction remembers between the password and the end of the registration: who proved
 * the password, and the id (a hash) of the registration flow whose token only this browser holds.
 * Kept as the interaction's result without `login`, so resuming the authorization early only
 * starts a new sign-in.
 */
const pendingSchema = z.object({
  registration: z.object({ accountId: z.string().min(1), flowId: z.string().min(1) }),
});
type Pending = z.infer<typeof pendingSchema>['registration'];

const pendingOf = (details: InteractionDetails): Pending | undefined =>
  pendingSchema.safeParse(details.result).data?.registration;

/**
 * Microsoft's "More information required": after a correct password, a user whom the password
 * reset policy requires to register a method, and who has none, registers one before the sign-in
 * goes on to the app. The steps are password reset's own (`createRegistrationSteps`).
 * @example
 *   const interrupt = createRegistrationInterrupt({ provider, accounts, log, registration: () => reset.signInRegistration, base: '/sign-in' });
 *   interrupt.register(app);
 *   if (await interrupt.afterPassword(req, reply, details, user.id)) return reply;
 */
export function createRegistrationInterrupt(deps: RegistrationInterruptDeps) {
  const { provider, accounts, log, base } = deps;

  /**
   * Starts a registration flow, remembers it in the interaction and sends the choice of methods;
   * false (nothing sent) when the user need not register. (A boolean, not the reply: a Fastify
   * reply is thenable, so an awaited one would resolve to undefined.)
   */
  async function show(
    req: FastifyRequest,
    reply: FastifyReply,
    details: InteractionDetails,
    accountId: string,
    error?: string,
  ): Promise<boolean> {
    const registration = deps.registration();
    const offer = await registration?.required(accountId);
    if (!registration || !offer) return false;
    const { token, id } = await registration.start(accountId);
    const pending: Pending = { accountId, flowId: id };
    await provider.interactionResult(
      req.raw,
      reply.raw,
      { registration: pending },
      { mergeWithLastSubmission: false },
    );
    const ctx = await contextOf(details, accountId, token, offer);
    const step = registration.steps.choice(ctx, error ? 400 : 200, error);
    sendPage(reply, step.status, step.body);
    return true;
  }

  async function contextOf(
    details: InteractionDetails,
    accountId: string,
    flow: string,
    offer: { email: boolean; app: boolean },
  ): Promise<RegistrationStepContext> {
    const user = await accounts.findById(accountId);
    const intro = html`<p>Your organisation needs more information to keep your account secure: register a way to prove it is you, so you can reset your password yourself if you forget it.</p>
<p class="muted">Signed in as ${user?.userPrincipalName ?? ''}.</p>`;
    const footer = html`<form method="post" action="${base}/${details.uid}/abort"><div class="actions"><button type="submit">Cancel sign-in</button></div></form>`;
    const choice = {
      ...offer,
      base: `${base}/${details.uid}/register`,
      heading: 'More information required',
      intro,
      footer,
    };
    return { flow, choice };
  }

  /** The interaction, its pending registration and the step context, when `flow` is that registration's. */
  async function stepOf(req: StepRequest, reply: FastifyReply) {
    const details = await interaction(provider, req, reply);
    const pending = details && details.prompt.name === 'login' ? pendingOf(details) : undefined;
    const registration = deps.registration();
    const flow = req.body?.flow ?? '';
    if (!details || !pending || !registration) return undefined;
    if (!(await registration.holds(flow, pending.flowId, pending.accountId))) return undefined;
    const offer = await registration.required(pending.accountId);
    const ctx = offer ? await contextOf(details, pending.accountId, flow, offer) : undefined;
    return { details, pending, registration, ctx };
  }

  const signIn = (
    req: FastifyRequest,
    reply: FastifyReply,
    details: InteractionDetails,
    accountId: string,
  ) => {
    log.info({ interaction: details.uid, userId: accountId }, 'signed in after registering a method');
    return finish(provider, req, reply, { login: { accountId, amr: ['pwd'] } }, false);
  };

  function register(app: FastifyInstance): void {
    const schema = { params: uidParams, body: stepBody };

    app.post(`${base}/:uid/register/email`, { schema }, async (req: StepRequest, reply) => {
      const step = await stepOf(req, reply);
      if (!step) return expired(reply);
      if (!step.ctx) return signIn(req, reply, step.details, step.pending.accountId);
      const page = await step.registration.steps.email(step.ctx, req.body?.address ?? '');
      return sendPage(reply, page.status, page.body);
    });

    app.post(`${base}/:uid/register/app`, { schema }, async (req: StepRequest, reply) => {
      const step = await stepOf(req, reply);
      const user = step && (await accounts.findById(step.pending.accountId));
      if (!step || !user) return expired(reply);
      if (!step.ctx) return signIn(req, reply, step.details, step.pending.accountId);
      const page = await step.registration.steps.app(step.ctx, user.userPrincipalName);
      return sendPage(reply, page.status, page.body);
    });

    app.post(`${base}/:uid/register/verify`, { schema }, async (req: StepRequest, reply) => {
      const step = await stepOf(req, reply);
      if (!step) return expired(reply);
      const { details, pending } = step;
      const next = step.ctx ? await step.registration.steps.verify(step.ctx, req.body?.code ?? '') : 'ok';
      if (next === 'ok') return signIn(req, reply, details, pending.accountId);
      if (next !== 'refused') return sendPage(reply, next.status, next.body);
      const again = 'The code has expired or was tried too often. Choose a method again.';
      return (await show(req, reply, details, pending.accountId, again)) ? reply : expired(reply);
    });
  }

  return {
    register,
    /**
     * After a correct password: shows "More information required" and returns the reply when the
     * user must register first; undefined when the sign-in may finish.
     */
    async afterPassword(
      req: FastifyRequest,
      reply: FastifyReply,
      details: InteractionDetails,
      accountId: string,
    ) {
      const shown = await show(req, reply, details, accountId);
      if (shown)
        log.info(
          { interaction: details.uid, userId: accountId },
          'sign-in interrupted: registration required',
        );
      return shown;
    },
    /** The page of an interaction waiting for a registration (reloaded, or back from another tab). */
    async resume(req: FastifyRequest, reply: FastifyReply, details: InteractionDetails) {
      const pending = details.prompt.name === 'login' ? pendingOf(details) : undefined;
      if (!pending) return undefined;
      return (
        (await show(req, reply, details, pending.accountId)) ?? signIn(req, reply, details, pending.accountId)
      );
    },
  };
}

export type RegistrationInterrupt = ReturnType<typeof createRegistrationInterrupt>;
