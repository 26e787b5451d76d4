import type { Kysely } from 'kysely';
import type { Role } from '../../auth/principal.js';
import { ROLES } from '../../auth/principal.js';
import { badRequest, notFound } from '../../errors.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import type { DirectoryServiceDeps } from '../service-deps.js';
import { timeOrderedId } from '../time-ordered-id.js';

/** Admin roles that can be assigned (`User` is what everyone without one is). */
export type AdminRole = Exclude<Role, 'User'>;

function isAdminRole(name: string): name is AdminRole {
  // Widening the tuple to string[] only, so includes() accepts any name.
  return name !== 'User' && (ROLES as readonly string[]).includes(name);
}

/** One holder of an admin role. */
export interface RoleAssignment {
  id: string;
  principalId: string;
  role: AdminRole;
  createdDateTime: string;
}

/** Refuses to take away the tenant's last Global Administrator (nobody could manage it any more). */
export async function assertNotLastGlobalAdmin(trx: Kysely<Database>, principalId: string): Promise<void> {
  const holders = await trx
    .selectFrom('directory_role_assignments')
    .select('principal_id')
    .where('role_name', '=', 'GlobalAdministrator')
    .execute();
  if (holders.length === 1 && holders[0]?.principal_id === principalId) {
    throw badRequest(
      'The last Global Administrator cannot lose the role; assign it to someone else first.',
      'id',
    );
  }
}

/** Directory role assignments: who holds Global Administrator or User Administrator. */
export function createRoleDirectory({ db, audit, clock }: DirectoryServiceDeps) {
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
        if (role === 'GlobalAdministrator') await assertNotLastGlobalAdmin(trx, principalId);
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

  async function listAssignments(): Promise<RoleAssignment[]> {
    const rows = await db.selectFrom('directory_role_assignments').selectAll().orderBy('id').execute();
    return rows.flatMap((r) =>
      isAdminRole(r.role_name)
        ? [{ id: r.id, principalId: r.principal_id, role: r.role_name, createdDateTime: r.created_at }]
        : [],
    );
  }

  async function getAssignment(id: string): Promise<RoleAssignment> {
    const found = (await listAssignments()).find((a) => a.id === id);
    if (!found) throw notFound(id);
    return found;
  }

  /** Removes an assignment by its id (the last Global Administrator keeps the role). */
  async function removeAssignment(actor: Actor, id: string): Promise<void> {
    const assignment = await getAssignment(id);
    await unassign(actor, assignment.principalId, assignment.role);
  }

  /** The assignment of `role` to `principalId`, after {@link assign}. */
  async function findAssignment(principalId: string, role: AdminRole): Promise<RoleAssignment> {
    const found = (await listAssignments()).find((a) => a.principalId === principalId && a.role === role);
    if (!found) throw notFound(principalId);
    return found;
  }

  return { assign, unassign, rolesOf, listAssignments, getAssignment, removeAssignment, findAssignment };
}

export type RoleDirectory = ReturnType<typeof createRoleDirectory>;
