// Step 4: the agent, installed through the same wizard a person runs (`cloudsync agent install`,
// unattended: flags, passwords on stdin), a sync configuration with password hash sync created and
// enabled through the admin API, then `cloudsync agent run` until the configuration is healthy.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readDomain } from '../ad.js';
import type { Json } from '../admin-api.js';
import { type LabStep, LabStepError } from '../checklist.js';
import { runCloudsync, startCloudsync } from '../children.js';
import type { LabContext } from '../lab-context.js';
import { waitUntil } from '../samba/process.js';

const CONFIGURATIONS = '/v1.0/cloudsync/configurations';
/** The host name the lab's agent registers under. */
export const LAB_AGENT_HOST = 'lab-agent';

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the lab has no ${what} yet (an earlier step did not run)`);
  return value;
}

async function installAgent(ctx: LabContext): Promise<boolean> {
  if (existsSync(join(ctx.paths.agent, 'agent.json'))) return false;
  const dc = need(ctx.dc, 'DC').info;
  await runCloudsync(
    [
      'agent',
      'install',
      '--cloud',
      need(ctx.cloudUrl, 'cloud'),
      '--admin-user',
      need(ctx.adminUpn, 'cloud administrator'),
      '--admin-password-stdin',
      '--dc',
      dc.ip,
      '--ca-file',
      dc.caFile,
      '--domain-admin',
      dc.adminUpn,
      '--domain-admin-password-stdin',
      '--password-hash-sync',
      '--host',
      LAB_AGENT_HOST,
      '--state-dir',
      ctx.paths.agent,
      '--yes',
    ],
    { input: `${ctx.secrets.cloudAdminPassword}\n${ctx.secrets.adAdminPassword}\n` },
  ).catch((err: unknown) => {
    throw new LabStepError(
      `cloudsync agent install failed: ${err instanceof Error ? err.message : String(err)}`,
      'fix what the wizard names, then run the lab again (the install is retried)',
    );
  });
  return true;
}

/** Finds the configuration of the lab's domain, or creates it; then makes sure it is enabled. */
async function ensureConfiguration(ctx: LabContext): Promise<string> {
  const api = need(ctx.api, 'admin API');
  const domain = await readDomain(need(ctx.dc, 'DC').info);
  const list = await api.get(CONFIGURATIONS);
  const found = (list.value as Json[] | undefined)?.find(
    (c) => String((c.domain as Json | undefined)?.dnsName).toLowerCase() === domain.dnsName,
  );
  const configuration = found ?? (await api.post(CONFIGURATIONS, { domain, passwordHashSync: true }));
  const id = configuration?.id;
  if (typeof id !== 'string') throw new Error('the cloud answered a configuration without an id');
  if (configuration?.passwordHashSync !== true)
    await api.patch(`${CONFIGURATIONS}/${id}`, { passwordHashSync: true });
  if (configuration?.enabled !== true) await api.post(`${CONFIGURATIONS}/${id}/enable`);
  return id;
}

export const startAgent: LabStep<LabContext> = {
  title: 'Agent installed, sync configuration enabled, first sync healthy',
  async run(ctx, progress) {
    progress('cloudsync agent install');
    const installed = await installAgent(ctx);
    progress('sync configuration (password hash sync on)');
    const id = await ensureConfiguration(ctx);
    ctx.configurationId = id;
    progress('cloudsync agent run');
    const agent = await startCloudsync('agent', ['agent', 'run', '--state-dir', ctx.paths.agent], {
      logFile: join(ctx.paths.logs, 'agent.log'),
    });
    ctx.agent = agent;
    ctx.cleanups.push(() => agent.stop());
    const api = need(ctx.api, 'admin API');
    const started = new Date().toISOString();
    let state = '';
    progress('waiting for a healthy cycle');
    await waitUntil(
      'a healthy sync cycle',
      async () => {
        const c = await api.get(`${CONFIGURATIONS}/${id}`);
        const status = c.status as { state?: string; reason?: string | null; lastCycleAt?: string | null };
        state = status.state ?? '';
        if (state === 'quarantine' || state === 'error') {
          throw new LabStepError(
            `the configuration is in ${state}: ${status.reason ?? 'no reason given'}`,
            `read ${agent.logFile}; the admin API shows it at GET ${CONFIGURATIONS}/${id}`,
          );
        }
        return state === 'healthy' && Boolean(status.lastCycleAt && status.lastCycleAt >= started);
      },
      { timeoutMs: 180_000, intervalMs: 1000, abort: agent.exitNote },
    ).catch((err: unknown) => {
      if (err instanceof LabStepError) throw err;
      throw new LabStepError(
        `${err instanceof Error ? err.message : String(err)} (state: ${state || 'unknown'})`,
        `read ${agent.logFile} and ${join(ctx.paths.logs, 'cloud.log')}`,
      );
    });
    return `agent ${installed ? 'installed' : 'reused'}, configuration ${id} healthy`;
  },
};
