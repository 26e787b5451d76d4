import type { Kysely } from 'kysely';
import type { Role } from '../../auth/principal.js';
import { ROLES } from '../../auth/principal.js';
import { badRequest } from '../../errors.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import type { AuditLog } from '../audit-log.js';
import type { Clock } from '../clock.js';
import { timeOrderedId } from '../time-ordered-id.js';

/** Admin roles that can be assigned (`User` is what everyone without one is). */
export type AdminRole = Exclude<Role, 'User'>;

function isAdminRole(name: string): name is AdminRole {
  // Widening the tuple to string[] only, so includes() accepts any name.
  return name !== 'User' && (ROLES as readonly string[]).includes(name);
}

/** Directory role assignments: who holds Global Administrator or User Administrator. */
export function createRoleDirectory({
  db,
  audit,
  clock,
}: {
  db: Kysely<Database>;
  audit: AuditLog;
  clock: Clock;
}) {
  async function assign(
    actor: Actor,
    principalId: string,
    role: AdminRole,
    executor?: Kysely<Database>,
  ): Promise<void> {
    if (!isAdminRole(role))
      throw badRequest(`'${String(role)}' is not an assignable role.`, 'roleDefinitionId');
    const work = async (trx: Kysely<Database>) => {
      const held = await trx
        .selectFrom('directory_role_assignments')
        .select('id')
        .where('principal_id', '=', principalId)
        .where('role_name', '=', role)
        .executeTakeFirst();
      if (held) return;
      await trx
        .insertInto('directory_role_assignments')
        .values({
          id: timeOrderedId(),
          principal_id: principalId,
          role_name: role,
          created_at: clock.now().toISOString(),
        })
        .execute();
    };
    const event = {
      category: 'RoleManagement' as const,
      activity: 'Add member to role',
      operationType: 'Assign' as const,
      target: { id: principalId, type: 'User', name: role },
    };
    if (executor) {
      await work(executor);
      await audit.record(executor, actor, event, 'success');
    } else {
      await audit.audited(actor, event, work);
    }
  }

  async function unassign(actor: Actor, principalId: string, role: AdminRole): Promise<void> {
    await audit.audited(
      actor,
      {
        category: 'RoleManagement',
        activity: 'Remove member from role',
        operationType: 'Unassign',
        target: { id: principalId, type: 'User', name: role },
      },
      async (trx) => {
        await trx
          .deleteFrom('directory_role_assignments')
          .where('principal_id', '=', principalId)
          .where('role_name', '=', role)
          .execute();
      },
    );
  }

  /** The roles of a principal: its admin roles, plus `User` for everyone. */
  async function rolesOf(principalId: string): Promise<Role[]> {
    const rows = await db
      .selectFrom('directory_role_assignments')
      .select('role_name')
      .where('principal_id', '=', principalId)
      .orderBy('role_name')
      .execute();
    return [...rows.map((r) => r.role_name).filter(isAdminRole), 'User'];
  }

  return { assign, unassign, rolesOf };
}

export type RoleDirectory = ReturnType<typeof createRoleDirectory>;
