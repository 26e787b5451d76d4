// Step 5: Bobby Smith in AD (logon `bobby`, UPN `bobby@<realm>`, a domain the cloud has not
// verified), then in the cloud as a synced user under the tenant's initial domain, with his AD
// password working there (password hash sync).
import { signInAsAdmin } from '@cloudsync/cli/login-client';
import { ensureUser } from '../ad.js';
import { AdminApiError, type Json } from '../admin-api.js';
import { type LabStep, LabStepError } from '../checklist.js';
import { BOBBY, type LabContext } from '../lab-context.js';
import { waitUntil } from '../samba/process.js';

export const createBobby: LabStep<LabContext> = {
  title: 'Bobby Smith created in AD, synced to the cloud',
  async run(ctx, progress) {
    const { dc, api, initialDomain, cloudUrl } = ctx;
    if (!dc || !api || !initialDomain || !cloudUrl) throw new Error('the DC and the cloud must run first');
    progress('creating bobby in AD');
    const ad = await ensureUser(dc.info, { ...BOBBY, password: ctx.secrets.bobbyPassword });
    ctx.bobby = { dn: ad.dn, adUpn: ad.upn };
    const cloudUpn = `${BOBBY.sam}@${initialDomain}`;
    progress(`waiting for ${cloudUpn} in the cloud`);
    let user: Json | undefined;
    await waitUntil(
      `${cloudUpn} synced to the cloud`,
      async () => {
        try {
          user = await api.get(`/v1.0/users/${encodeURIComponent(cloudUpn)}`);
        } catch (err) {
          if (err instanceof AdminApiError && err.status === 404) return false;
          throw err;
        }
        return user.onPremisesSyncEnabled === true;
      },
      { timeoutMs: 180_000, intervalMs: 1000, abort: () => ctx.agent?.exitNote() },
    ).catch((err: unknown) => {
      throw new LabStepError(
        err instanceof Error ? err.message : String(err),
        `read ${ctx.agent?.logFile ?? 'the agent log'}; the cloud's provisioning log is at GET /v1.0/auditLogs/provisioning`,
      );
    });
    ctx.bobby = { ...ctx.bobby, cloudUpn, cloudId: String(user?.id) };
    progress('waiting for his password hash');
    await waitUntil(
      `Bobby's AD password accepted by the cloud`,
      async () => {
        await signInAsAdmin({ cloudUrl, username: cloudUpn, password: ctx.secrets.bobbyPassword });
        return true;
      },
      { timeoutMs: 180_000, intervalMs: 2000, abort: () => ctx.agent?.exitNote() },
    ).catch((err: unknown) => {
      throw new LabStepError(
        err instanceof Error ? err.message : String(err),
        `password hash sync did not deliver: read ${ctx.agent?.logFile ?? 'the agent log'}`,
      );
    });
    return `${ad.upn} → ${cloudUpn}${ad.created ? '' : ' (existed: password reset)'}, password hash synced`;
  },
};
