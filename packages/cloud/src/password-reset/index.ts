import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { CloudSync } from '../agents/index.js';
import type { Auth } from '../auth/create-auth.js';
import type { Clock } from '../directory/clock.js';
import type { Directory } from '../directory/index.js';
import { createAccountQueries } from '../sign-in/accounts.js';
import { registerFormBody } from '../sign-in/form-body.js';
import type { Database } from '../store/schema.js';
import { createStoreRateLimiter } from './counters.js';
import { createFlowStore } from './flows.js';
import type { Mailer } from './mailer.js';
import { createMethodStore } from './methods.js';
import { createPolicyStore } from './policy.js';
import { registerPolicyRoutes } from './policy-routes.js';
import { registerRegistrationRoutes } from './register-routes.js';
import {
  createCodeSender,
  createMethodRegistration,
  MAIL_WINDOW_MS,
  MAX_REGISTRATION_MAILS,
} from './registration.js';
import { createRegistrationSteps } from './registration-steps.js';
import { createPasswordResetter } from './reset-password.js';
import { MAX_WRONG_CODES_PER_DAY, registerResetRoutes, WRONG_CODE_WINDOW_MS } from './routes.js';
import type { PasswordResetExtraTables } from './schema.js';
import { createSignInRegistration } from './sign-in-registration.js';

export interface PasswordResetDeps {
  db: Kysely<Database>;
  auth: Auth;
  directory: Pick<Directory, 'audit'>;
  cloudSync: Pick<CloudSync, 'registry' | 'jobs'>;
  clock: Clock;
  /** Sends one-time codes; without it the e-mail method answers "e-mail unavailable". */
  mailer?: Mailer;
  log: FastifyBaseLogger;
  /** Bound on the wait for AD's answer through the agent (30 s by default). */
  writebackTimeoutMs?: number;
  /** Further wait when the agent already took the job at the bound (5 s by default). */
  writebackGraceMs?: number;
}

/**
 * Mounts self-service password reset: the pages at `/password-reset` and the admin policy at
 * `/v1.0/cloudsync/passwordResetPolicy`. Returns the parts tests and other capabilities use.
 * @example
 *   const reset = await mountPasswordReset(app, { db: store.db, auth, directory, cloudSync, clock, mailer, log: app.log });
 */
export async function mountPasswordReset(app: FastifyInstance, deps: PasswordResetDeps) {
  const db = deps.db.withTables<PasswordResetExtraTables>();
  const { clock } = deps;
  const policies = createPolicyStore({ db, clock });
  const methods = createMethodStore({ db, clock });
  const flows = createFlowStore({ db, clock });
  const resetPassword = createPasswordResetter({
    db,
    audit: deps.directory.audit,
    policies,
    lockout: deps.auth.guard.lockout,
    writeback: deps.cloudSync,
    log: deps.log,
    ...(deps.writebackTimeoutMs ? { writebackTimeoutMs: deps.writebackTimeoutMs } : {}),
    ...(deps.writebackGraceMs ? { writebackGraceMs: deps.writebackGraceMs } : {}),
  });
  // Late answers that came while no process waited for them (a restart) are applied now.
  await resetPassword.settlePending();
  const sendCode = createCodeSender(deps.mailer);
  // One count of code e-mails per user, reset and registration alike, shared by every process.
  const mails = createStoreRateLimiter({
    db,
    clock,
    name: 'code-mail',
    limit: MAX_REGISTRATION_MAILS,
    windowMs: MAIL_WINDOW_MS,
  });
  const wrongCodes = createStoreRateLimiter({
    db,
    clock,
    name: 'wrong-code',
    limit: MAX_WRONG_CODES_PER_DAY,
    windowMs: WRONG_CODE_WINDOW_MS,
  });
  const registration = createMethodRegistration({
    flows,
    methods,
    sendCode,
    mails,
    issuerName: 'cloudsync',
    log: deps.log,
  });
  const steps = createRegistrationSteps(registration);
  await app.register(async (scope) => {
    await registerFormBody(scope);
    const accounts = createAccountQueries(deps.db);
    const { guard } = deps.auth;
    registerResetRoutes(scope, {
      accounts,
      guard,
      policies,
      methods,
      flows,
      sendCode,
      mails,
      wrongCodes,
      resetPassword,
      log: deps.log,
    });
    registerRegistrationRoutes(scope, { accounts, guard, policies, flows, steps });
  });
  registerPolicyRoutes(app, { auth: deps.auth, policies, db, registry: deps.cloudSync.registry });
  const signInRegistration = createSignInRegistration({
    policies,
    methods,
    flows,
    steps,
    canEmail: deps.mailer !== undefined,
  });
  return { policies, methods, flows, resetPassword, signInRegistration };
}

export type PasswordReset = Awaited<ReturnType<typeof mountPasswordReset>>;
export { createSmtpMailer, type Mailer } from './mailer.js';
export { DEFAULT_RESET_POLICY, type PasswordResetPolicy } from './policy.js';
export type {
  StepContext as RegistrationStepContext,
  StepPage as RegistrationStepPage,
} from './registration-steps.js';
export type { SignInRegistration } from './sign-in-registration.js';
