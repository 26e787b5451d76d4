import type { Kysely } from 'kysely';
import { actorOf } from '../api/access.js';
import type { Principal } from '../auth/principal.js';
import { type AuditEvent, createAuditLog } from '../directory/audit-log.js';
import type { Clock } from '../directory/clock.js';
import type { Database } from '../store/schema.js';

/** Records a successful admin action on agents or sync configurations in the directory audit log. */
export type AdminAudit = (principal: Principal, event: Omit<AuditEvent, 'category'>) => Promise<void>;

/**
 * @example
 *   await audit(principal, { activity: 'Register cloudsync agent', operationType: 'Add', target: { id, type: 'Agent', name: host } });
 */
export function createAdminAudit(deps: { db: Kysely<Database>; clock: Clock }): AdminAudit {
  const log = createAuditLog(deps);
  return (principal, event) =>
    log.record(deps.db, actorOf(principal), { category: 'DirectoryManagement', ...event }, 'success');
}
