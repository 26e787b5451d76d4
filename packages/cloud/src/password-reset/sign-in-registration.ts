import type { FlowStore } from './flows.js';
import type { MethodStore } from './methods.js';
import type { PolicyStore } from './policy.js';
import type { RegistrationSteps } from './registration-steps.js';

/**
 * How many verified methods a user needs before the sign-in stops asking. The reset asks for one
 * code, so one method is enough (Microsoft's "number of methods required to reset" = 1).
 */
export const METHODS_REQUIRED = 1;

/** The methods the sign-in offers to register. */
export interface RegistrationOffer {
  email: boolean;
  app: boolean;
}

/** What the sign-in's "More information required" interruption needs from password reset. */
export interface SignInRegistration {
  /**
   * What `userId` must register before the sign-in goes on, or undefined: the policy requires
   * registration, applies to the user (all users, or a member of its group), offers a method this
   * cloud can verify, and the user has fewer than `METHODS_REQUIRED` of the methods it allows.
   */
  required(userId: string): Promise<RegistrationOffer | undefined>;
  /** A new registration flow: the token for the browser and its id (a hash) to remember server-side. */
  start(userId: string): Promise<{ token: string; id: string }>;
  /** Whether `token` is the open registration flow `id` of `userId`. */
  holds(token: string, id: string, userId: string): Promise<boolean>;
  steps: RegistrationSteps;
}

/**
 * Builds the interruption's side of password reset over its stores.
 * @example
 *   const registration = createSignInRegistration({ policies, methods, flows, steps, canEmail: Boolean(mailer) });
 *   const offer = await registration.required(user.id);
 */
export function createSignInRegistration(deps: {
  policies: PolicyStore;
  methods: MethodStore;
  flows: FlowStore;
  steps: RegistrationSteps;
  /** Whether the cloud can send e-mail; without it the e-mail method is not offered. */
  canEmail: boolean;
}): SignInRegistration {
  const { policies, methods, flows } = deps;
  return {
    async required(userId) {
      const policy = await policies.get();
      if (!policy.registrationRequired || !(await policies.appliesTo(userId, policy))) return undefined;
      const offer = {
        email: deps.canEmail && policy.methods.includes('email'),
        app: policy.methods.includes('authenticatorApp'),
      };
      if (!offer.email && !offer.app) return undefined;
      const registered = (await methods.list(userId)).filter((m) => policy.methods.includes(m.kind));
      return registered.length >= METHODS_REQUIRED ? undefined : offer;
    },
    async start(userId) {
      const token = await flows.create(userId, 'register');
      const state = await flows.find(token);
      if (!state) throw new Error('a registration flow was not found right after it was created');
      return { token, id: state.id };
    },
    async holds(token, id, userId) {
      const state = await flows.find(token);
      return state?.purpose === 'register' && state.id === id && state.user_id === userId;
    },
    steps: deps.steps,
  };
}
