import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AuditLog } from './audit-log.js';
import type { Clock } from './clock.js';

/** What every directory service is built over: one store, the shared audit log and a clock. */
export interface DirectoryServiceDeps {
  db: Kysely<Database>;
  audit: AuditLog;
  clock: Clock;
}
