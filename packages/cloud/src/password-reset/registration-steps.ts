import { type RegisterChoiceModel, renderAppKey, renderCodePage, renderRegisterChoicePage } from './pages.js';
import type { MethodRegistration } from './registration.js';

/** A page to send: status and HTML. */
export interface StepPage {
  status: number;
  body: string;
}

/**
 * Where one registration takes place: the flow, the choice page to show again on an error
 * (`choice.base` is where the forms post; the code form posts to `<base>/verify`).
 */
export interface StepContext {
  flow: string;
  choice: Omit<RegisterChoiceModel, 'flow' | 'error'> & { base: string };
}

const codePage = (
  ctx: StepContext,
  status: number,
  model: { prompt: string; error?: string },
  extra?: ReturnType<typeof renderAppKey>,
) => ({
  status,
  body: renderCodePage({
    action: `${ctx.choice.base}/verify`,
    flow: ctx.flow,
    ...model,
    ...(extra ? { extra } : {}),
  }),
});

/**
 * The page steps of registering a method, shared by `/password-reset/register` and the sign-in's
 * interruption; each caller checks the flow belongs to the browser before, and decides what
 * follows a saved method.
 * @example
 *   const steps = createRegistrationSteps(registration);
 *   const next = await steps.verify(ctx, code);
 *   if (next === 'ok') continueSignIn(); else if (next !== 'refused') send(next);
 */
export function createRegistrationSteps(registration: MethodRegistration) {
  const steps = {
    /** The choice of methods (again, with `error`). */
    choice(ctx: StepContext, status = 200, error?: string): StepPage {
      return {
        status,
        body: renderRegisterChoicePage({ ...ctx.choice, flow: ctx.flow, ...(error ? { error } : {}) }),
      };
    },
    /** Step: send a code to the address typed. */
    async email(ctx: StepContext, address: string): Promise<StepPage> {
      const started = await registration.startEmail(ctx.flow, address);
      if (started.ok) return codePage(ctx, 200, { prompt: started.prompt });
      if (started.reason === 'invalid_address')
        return steps.choice(ctx, 400, 'Enter an e-mail address such as someone@example.com.');
      if (started.reason === 'too_many') {
        const minutes = Math.ceil(started.retryAfterSeconds / 60);
        const wait = `Too many codes were sent. Wait ${minutes} minute${minutes === 1 ? '' : 's'}, or use another method.`;
        return steps.choice(ctx, 429, wait);
      }
      return steps.choice(
        ctx,
        503,
        'The cloud cannot send e-mail now. Use another method, or ask your administrator.',
      );
    },
    /** Step: a new authenticator key for `accountName`, as a QR code, a link and text. */
    async app(ctx: StepContext, accountName: string): Promise<StepPage> {
      const started = await registration.startApp(ctx.flow, accountName);
      return codePage(
        ctx,
        200,
        { prompt: 'Add your account to an authenticator app, then enter the code the app shows.' },
        renderAppKey(started),
      );
    },
    /** Step: the code; `ok` once the method is saved, `refused` when the flow is over. */
    async verify(ctx: StepContext, code: string): Promise<StepPage | 'ok' | 'refused'> {
      const result = await registration.verify(ctx.flow, code);
      if (result !== 'wrong') return result;
      return codePage(ctx, 401, { prompt: 'Enter the code again.', error: 'That code is not right.' });
    },
  };
  return steps;
}

export type RegistrationSteps = ReturnType<typeof createRegistrationSteps>;
