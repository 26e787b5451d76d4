// Provision on demand: one object (by DN) through the configuration's steps, now, with the result of
// each step posted as the job's answer. The object goes to the cloud in a one-page cycle of its own;
// the configuration's cursors do not move.
import { randomUUID } from 'node:crypto';
import type {
  AgentJob,
  AgentJobResult,
  ChangeResult,
  ProvisioningStep,
  SyncConfiguration,
} from '@cloudsync/protocol';
import { createChangePlanner } from '@cloudsync/sync-engine';
import { BUFFER_ATTRIBUTE_NAMES, SYNC_ATTRIBUTES, SYNC_FILTER } from '../ad/attributes.js';
import type { AdConnection } from '../ad/connection.js';
import { toAdObject } from '../ad/objects.js';
import { cycleErrorBody } from '../cycle/errors.js';
import { describeMappingProblems } from '../cycle/plan-changes.js';
import { selectedGroupsOf } from '../cycle/read-source.js';
import type { CycleDeps } from '../cycle/run-cycle.js';
import { membersOf, toSourceEntry } from '../cycle/source-entry.js';

/** Runs a provision-on-demand job and returns its result (steps and outcome). */
export async function provisionOnDemand(
  deps: CycleDeps,
  configuration: SyncConfiguration | undefined,
  job: AgentJob,
): Promise<AgentJobResult> {
  const steps: ProvisioningStep[] = [];
  const failed = (name: string, err: unknown): AgentJobResult => {
    const error = cycleErrorBody(err);
    steps.push({ name, status: 'failed', description: error.message });
    return { jobId: job.jobId, status: 'failed', steps, error };
  };
  if (!configuration) return failed('import', new Error('this agent does not run that configuration'));
  let ad: AdConnection;
  try {
    ad = await deps.connectAd();
  } catch (err) {
    return failed('import', err);
  }
  try {
    const [entry] = await ad.search(job.distinguishedName, {
      scope: 'base',
      filter: SYNC_FILTER,
      attributes: [...SYNC_ATTRIBUTES],
      explicitBufferAttributes: BUFFER_ATTRIBUTE_NAMES,
    });
    const obj = entry ? await toAdObject(ad, entry) : undefined;
    if (!obj) return failed('import', new Error(`no user, group or contact at ${job.distinguishedName}`));
    steps.push({ name: 'import', status: 'succeeded', description: `Read ${obj.kind} ${obj.dn} from AD.` });
    const members = membersOf(obj, (dn) => deps.store.anchorOfDn(configuration.id, dn));
    const planner = createChangePlanner(configuration);
    const scope = { domainRoot: deps.domainRoot, scope: configuration.scope };
    const entrySource = toSourceEntry(obj, members, await selectedGroupsOf(ad, scope, obj));
    const planned = planner.plan(entrySource, undefined, { fullImport: true });
    if (planned.action === 'error') return failed('map', new Error(planned.message));
    if (planned.action === 'upsert' && planned.problems.length > 0) {
      // As in a cycle, an object whose mapping fails is not sent: nothing in the cloud changes.
      return failed('map', new Error(describeMappingProblems(planned.problems)));
    }
    if (planned.action !== 'upsert') {
      const reason = 'reason' in planned ? planned.reason : planned.action;
      steps.push({ name: 'scope', status: 'skipped', description: `Not in scope: ${reason}`.slice(0, 2000) });
      return { jobId: job.jobId, status: 'succeeded', steps };
    }
    steps.push({ name: 'scope', status: 'succeeded', description: 'The object is in scope.' });
    steps.push({
      name: 'map',
      status: 'succeeded',
      description: `Mapped ${Object.keys(planned.change.op === 'upsert' ? planned.change.attributes : {}).length} attributes.`,
    });
    const cycleId = randomUUID();
    const lease = await deps.uplink.acquireLease(configuration.id, { cycleId, kind: 'delta' });
    if (lease.state !== 'granted') {
      steps.push({
        name: 'export',
        status: 'failed',
        description: 'Another cycle is running; try again shortly.',
      });
      return { jobId: job.jobId, status: 'failed', steps };
    }
    try {
      const page = {
        configurationId: configuration.id,
        configurationVersion: configuration.version,
        cycleId,
        kind: 'delta' as const,
        sequence: 1,
        changes: [planned.change],
      };
      const ack = await deps.uplink.sendPage(page);
      const now = new Date().toISOString();
      await deps.uplink.endCycle({
        ...page,
        pages: 1,
        counts: { upserts: 1, deletes: 0, outOfScope: 0, unchanged: 0 },
        startedAt: now,
        endedAt: now,
      });
      const result = ack.results[0];
      const ok = result?.result === 'applied' || result?.result === 'skipped';
      steps.push({
        name: 'export',
        status: ok ? 'succeeded' : 'failed',
        description:
          `The cloud answered ${result?.result ?? 'nothing'}${result?.reason ? `: ${result.reason}` : ''}`.slice(
            0,
            2000,
          ),
        ...(result?.cloudId ? { details: { cloudId: result.cloudId } } : {}),
      });
      if (ok) steps.push(...cloudSteps(result));
      return { jobId: job.jobId, status: ok ? 'succeeded' : 'failed', steps };
    } finally {
      await deps.uplink.releaseLease(configuration.id, cycleId).catch(() => undefined);
    }
  } catch (err) {
    return failed(steps.length === 0 ? 'import' : 'export', err);
  } finally {
    await ad.close().catch(() => undefined);
  }
}

/** The cloud's side of an applied change, as two steps: how it matched the object, and what it did. */
function cloudSteps(result: ChangeResult | undefined): ProvisioningStep[] {
  const action = result?.action ?? 'Other';
  const match =
    result?.match ??
    (action === 'Create' ? 'No cloud object matched; a new one is created.' : 'Matched by its anchor.');
  const done =
    result?.result === 'skipped' || action === 'Skip' ? 'Nothing to change.' : `${action} in the cloud.`;
  return [
    { name: 'match', status: 'succeeded', description: match.slice(0, 2000) },
    {
      name: 'action',
      status: 'succeeded',
      description: `${done}${result?.reason ? ` ${result.reason}` : ''}`.slice(0, 2000),
      ...(result?.cloudId ? { details: { cloudId: result.cloudId } } : {}),
    },
  ];
}
