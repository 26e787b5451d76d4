import { randomBytes } from 'node:crypto';
import { SYSTEM_ACTOR } from '../directory/actor.js';
import type { Clock } from '../directory/clock.js';
import type { Directory } from '../directory/index.js';
import { DEFAULT_CATALOGUE } from '../directory/licenses/catalogue.js';
import { timeOrderedId } from '../directory/time-ordered-id.js';
import { emptyUserRow } from '../directory/users/user-directory.js';
import { assertPasswordComplexity } from '../directory/users/user-rules.js';
import { badRequest, CloudError } from '../errors.js';
import { hashPassword } from '../sign-in/password-hash.js';

export interface InitTenantInput {
  /** Tenant name: one DNS label, e.g. `contoso` → initial domain `contoso.<suffix>`. */
  name: string;
  domainSuffix: string;
  /** The Global Administrator's password; generated when absent. */
  adminPassword?: string;
}

export interface InitTenantResult {
  tenantId: string;
  initialDomain: string;
  adminUserPrincipalName: string;
  /** Present only when the password was generated: show it once, it is stored only hashed. */
  generatedPassword?: string;
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A random password that meets the complexity policy. */
function generatePassword(): string {
  return `${randomBytes(15).toString('base64url')}!7a`;
}

/**
 * Creates the tenant, its verified initial domain, the Global Administrator `admin@<initial domain>`
 * and the licence catalogue, in one transaction. Fails without changing anything if a tenant exists.
 */
export async function initTenant(
  deps: { directory: Directory; clock: Clock },
  input: InitTenantInput,
): Promise<InitTenantResult> {
  const { directory, clock } = deps;
  const name = input.name.toLowerCase();
  if (!LABEL.test(name))
    throw badRequest(`tenant name '${input.name}' must be one DNS label (a-z, 0-9, -)`, 'name');
  const password = input.adminPassword ?? generatePassword();
  assertPasswordComplexity(password);
  const passwordHash = await hashPassword(password);
  const tenantId = timeOrderedId();
  const initialDomain = `${name}.${input.domainSuffix.toLowerCase()}`;
  const adminUpn = `admin@${initialDomain}`;
  await directory.audit.audited(
    SYSTEM_ACTOR,
    {
      category: 'DirectoryManagement',
      activity: 'Initialize tenant',
      operationType: 'Add',
      target: { id: tenantId, type: 'Tenant', name },
    },
    async (trx) => {
      const existing = await trx
        .selectFrom('tenant')
        .select(['display_name', 'initial_domain'])
        .executeTakeFirst();
      if (existing) {
        throw new CloudError(
          'Request_BadRequest',
          409,
          `This cloud already has tenant '${existing.display_name}' (${existing.initial_domain}); nothing was changed.`,
        );
      }
      const now = clock.now().toISOString();
      await trx
        .insertInto('tenant')
        .values({ id: tenantId, display_name: input.name, initial_domain: initialDomain, created_at: now })
        .execute();
      await directory.domains.addInitial(trx, initialDomain);
      await directory.licenses.seedCatalogue(trx, tenantId, DEFAULT_CATALOGUE);
      const adminId = timeOrderedId();
      await trx
        .insertInto('users')
        .values({
          ...emptyUserRow(adminId, now),
          user_principal_name: adminUpn,
          upn_key: adminUpn,
          display_name: 'Global Administrator',
          mail_nickname: 'admin',
          password_hash: passwordHash,
          password_changed_at: now,
        })
        .execute();
      await directory.roles.assign(SYSTEM_ACTOR, adminId, 'GlobalAdministrator', trx);
    },
  );
  return {
    tenantId,
    initialDomain,
    adminUserPrincipalName: adminUpn,
    ...(input.adminPassword ? {} : { generatedPassword: password }),
  };
}
