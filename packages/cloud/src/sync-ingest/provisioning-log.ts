import type { ErrorBody } from '@cloudsync/protocol';
import type { Kysely } from 'kysely';
import { timeOrderedId } from '../directory/time-ordered-id.js';
import type { Outcome } from './apply-context.js';
import type { ProvisioningLogsTable, SyncIngestDatabase } from './schema.js';

/** Who the entry is about on both sides. */
export interface LogSubject {
  configurationId: string;
  cycleId: string;
  objectType: string;
  anchor: string;
  distinguishedName: string | null;
}

const STATUS_OF: Record<Outcome['result'], string> = {
  applied: 'success',
  skipped: 'skipped',
  conflict: 'warning',
  error: 'failure',
};

/** Writes one provisioning-log entry: one per object per cycle. */
export async function writeLog(
  db: Kysely<SyncIngestDatabase>,
  now: string,
  subject: LogSubject,
  outcome: Outcome,
): Promise<void> {
  const warning = outcome.result === 'applied' && outcome.steps.some((s) => s.status === 'warning');
  const row: ProvisioningLogsTable = {
    id: timeOrderedId(),
    configuration_id: subject.configurationId,
    cycle_id: subject.cycleId,
    created_at: now,
    action: outcome.action,
    status: warning ? 'warning' : STATUS_OF[outcome.result],
    object_type: subject.objectType,
    source_anchor: subject.anchor,
    source_dn: subject.distinguishedName,
    target_id: outcome.cloudId ?? null,
    target_name: outcome.targetName ?? null,
    modified_properties: JSON.stringify(outcome.modified),
    steps: JSON.stringify(outcome.steps),
    error_code: outcome.code ?? null,
    reason: outcome.reason ?? null,
  };
  await db.insertInto('provisioning_logs').values(row).execute();
}

const ACTION_OF: Record<string, string> = {
  Create: 'create',
  Update: 'update',
  Restore: 'update',
  Delete: 'delete',
  StagedDelete: 'delete',
  Disable: 'disable',
  Skip: 'other',
  Other: 'other',
};

const STEP_TYPE: Record<string, string> = {
  import: 'import',
  scope: 'scoping',
  match: 'matching',
  action: 'export',
  membership: 'export',
};

/** A provisioning-log row in Graph's `provisioningObjectSummary` shape. */
export function toProvisioningObjectSummary(row: ProvisioningLogsTable) {
  const modified: Array<{ name: string; oldValue: string | null; newValue: string | null }> = JSON.parse(
    row.modified_properties,
  );
  const steps: Array<{ name: string; status: string; detail: string }> = JSON.parse(row.steps);
  return {
    id: row.id,
    activityDateTime: row.created_at,
    cycleId: row.cycle_id,
    jobId: row.configuration_id,
    changeId: row.id,
    provisioningAction: ACTION_OF[row.action] ?? 'other',
    cloudsyncAction: row.action,
    statusInfo: {
      status: row.status,
      errorInformation:
        row.error_code || row.reason ? { errorCode: row.error_code, reason: row.reason } : null,
    },
    sourceIdentity: {
      id: row.source_anchor,
      displayName: row.source_dn,
      identityType: row.object_type,
    },
    targetIdentity: { id: row.target_id, displayName: row.target_name, identityType: row.object_type },
    modifiedProperties: modified.map((m) => ({
      displayName: m.name,
      oldValue: m.oldValue,
      newValue: m.newValue,
    })),
    provisioningSteps: steps.map((s) => ({
      name: s.name,
      provisioningStepType: STEP_TYPE[s.name] ?? 'export',
      status: s.status,
      description: s.detail,
    })),
  };
}

/**
 * Logs an on-premises error an agent reported (e.g. missing replication rights) as a provisioning-log
 * failure of the configuration, with the protocol's code and message saying what to do.
 */
export function createAgentErrorLog(db: Kysely<SyncIngestDatabase>, now: () => Date) {
  return async (configurationId: string, error: ErrorBody, agent: { id: string; host: string }) => {
    await writeLog(
      db,
      now().toISOString(),
      {
        configurationId,
        cycleId: `agent:${agent.id}`,
        objectType: 'agent',
        anchor: agent.host,
        distinguishedName: null,
      },
      {
        result: 'error',
        action: 'Other',
        reason: `The agent on ${agent.host} reports: ${error.message}`,
        modified: [],
        steps: [{ name: 'import', status: 'failure', detail: error.message }],
        code: error.code,
      },
    );
  };
}
