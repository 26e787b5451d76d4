import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import type {
  RegistrationStepContext,
  SignInRegistration,
  RegistrationStepPage as StepPage,
} from '../password-reset/index.js';
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

  const signIn = (
    req: FastifyRequest,
    reply: FastifyReply,
    details: InteractionDetails,
    accountId: string,
  ) => {
    log.info({ interaction: details.uid, userId: accountId }, 'signed in after registering a method');
    return finish(provider, req, reply, { login: { accountId, amr: ['pwd'] } }, false);
  };

  const again = (
    req: FastifyRequest,
    reply: FastifyReply,
    details: InteractionDetails,
    accountId: string,
    why: string,
  ) => show(req, reply, details, accountId, why).then((shown) => (shown ? reply : expired(reply)));

  /**
   * Runs one step for the registration this interaction waits for. The account comes from the
   * interaction (server-side), never from the form; a flow token that is not the pending one (an
   * expired flow, a token from elsewhere) shows the choice again with a new flow.
   */
  async function step(
    req: StepRequest,
    reply: FastifyReply,
    run: (s: {
      registration: SignInRegistration;
      ctx: RegistrationStepContext;
      accountId: string;
    }) => Promise<StepPage | 'ok' | 'refused'>,
  ): Promise<FastifyReply> {
    const details = await interaction(provider, req, reply);
    const pending = details && details.prompt.name === 'login' ? pendingOf(details) : undefined;
    const registration = deps.registration();
    if (!details || !pending || !registration) return expired(reply);
    const { accountId } = pending;
    const offer = await registration.required(accountId);
    if (!offer) return signIn(req, reply, details, accountId);
    const flow = req.body?.flow ?? '';
    if (!(await registration.holds(flow, pending.flowId, accountId)))
      return again(req, reply, details, accountId, 'This page has expired. Choose a method again.');
    const next = await run({
      registration,
      ctx: await contextOf(details, accountId, flow, offer),
      accountId,
    });
    if (next === 'ok') return signIn(req, reply, details, accountId);
    if (next === 'refused')
      return again(
        req,
        reply,
        details,
        accountId,
        'The code has expired or was tried too often. Choose a method again.',
      );
    return sendPage(reply, next.status, next.body);
  }

  function register(app: FastifyInstance): void {
    const schema = { params: uidParams, body: stepBody };
    app.post(`${base}/:uid/register/email`, { schema }, (req: StepRequest, reply) =>
      step(req, reply, ({ registration, ctx }) => registration.steps.email(ctx, req.body?.address ?? '')),
    );
    app.post(`${base}/:uid/register/app`, { schema }, (req: StepRequest, reply) =>
      step(req, reply, async ({ registration, ctx, accountId }) => {
        const user = await accounts.findById(accountId);
        return registration.steps.app(ctx, user?.userPrincipalName ?? accountId);
      }),
    );
    app.post(`${base}/:uid/register/verify`, { schema }, (req: StepRequest, reply) =>
      step(req, reply, ({ registration, ctx }) => registration.steps.verify(ctx, req.body?.code ?? '')),
    );
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
