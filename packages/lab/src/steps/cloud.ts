// Step 3: the cloud on the lab's address (SQLite in `<lab>/cloud`), its tenant and Global
// Administrator. `cloudsync cloud init` creates the tenant on the first run; later runs give the
// administrator this run's password instead.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectAdminApi } from '../admin-api.js';
import { type LabStep, LabStepError } from '../checklist.js';
import { runCloudsync, runNode, startCloudsync } from '../children.js';
import { type LabContext, readFacts, writeFacts } from '../lab-context.js';
import { startLabMailbox } from '../mailbox.js';
import { freePort, portInUse, waitUntil } from '../samba/process.js';

const DEFAULT_PORT = 8443;

async function choosePort(ctx: LabContext): Promise<number> {
  const known = readFacts(ctx.paths);
  if (known) {
    if (known.ip !== ctx.options.ip || known.tenant !== ctx.options.tenant) {
      throw new LabStepError(
        `${ctx.paths.root} is a lab for tenant ${known.tenant} at ${known.ip}`,
        `run with --ip ${known.ip} --tenant ${known.tenant}, or remove it with \`npm run lab -- --down\``,
      );
    }
    return known.cloudPort;
  }
  const wanted = ctx.options.cloudPort ?? DEFAULT_PORT;
  const port = wanted === 0 ? await freePort(ctx.options.ip) : wanted;
  await writeFacts(ctx.paths, { ip: ctx.options.ip, cloudPort: port, tenant: ctx.options.tenant });
  return port;
}

/** Gives the administrator of an existing tenant this run's password; undefined when there is no tenant. */
async function resetAdminPassword(ctx: LabContext): Promise<string | undefined> {
  const script = fileURLToPath(new URL('./cloud-admin-password.ts', import.meta.url));
  const output = await runNode(['--import', 'tsx', script], {
    input: JSON.stringify({ data: ctx.paths.cloud, password: ctx.secrets.cloudAdminPassword }),
  });
  const last = output.trim().split('\n').pop() ?? '';
  // The last line is the JSON that cloud-admin-password.ts prints.
  const { adminUpn } = JSON.parse(last) as { adminUpn: string | null };
  return adminUpn ?? undefined;
}

/** Creates the tenant, or gives its administrator this run's password; returns the admin's UPN. */
async function ensureTenant(ctx: LabContext): Promise<{ adminUpn: string; created: boolean }> {
  const existing = await resetAdminPassword(ctx);
  if (existing) return { adminUpn: existing, created: false };
  const output = await runCloudsync(
    ['cloud', 'init', '--tenant', ctx.options.tenant, '--data', ctx.paths.cloud],
    {
      env: { CLOUDSYNC_ADMIN_PASSWORD: ctx.secrets.cloudAdminPassword },
    },
  );
  const upn = /Global Administrator: (\S+)/.exec(output)?.[1];
  if (!upn) throw new Error(`cloudsync cloud init printed no administrator:\n${output}`);
  return { adminUpn: upn, created: true };
}

export const startCloud: LabStep<LabContext> = {
  title: 'Cloud, tenant and Global Administrator',
  async run(ctx, progress) {
    const { ip } = ctx.options;
    const port = await choosePort(ctx);
    if (await portInUse(ip, port)) {
      throw new LabStepError(
        `${ip}:${port} is in use`,
        `stop what listens there (\`ss -ltnp | grep ${ip}:${port}\`); the lab keeps the port it was created with`,
      );
    }
    progress('tenant');
    const { adminUpn, created } = await ensureTenant(ctx);
    ctx.adminUpn = adminUpn;
    ctx.initialDomain = adminUpn.slice(adminUpn.indexOf('@') + 1);
    progress('local mailbox');
    const mailbox = await startLabMailbox(ip);
    ctx.mailbox = mailbox;
    ctx.cleanups.push(() => mailbox.close());
    const cloudUrl = `http://${ip}:${port}`;
    progress(`starting the cloud at ${cloudUrl}`);
    const cloud = await startCloudsync(
      'cloud',
      [
        'cloud',
        'serve',
        '--data',
        ctx.paths.cloud,
        '--host',
        ip,
        '--port',
        String(port),
        '--log-level',
        'info',
      ],
      { logFile: join(ctx.paths.logs, 'cloud.log'), env: { CLOUDSYNC_SMTP_URL: mailbox.smtpUrl } },
    );
    ctx.cloud = cloud;
    ctx.cleanups.push(() => cloud.stop());
    await waitUntil(
      `the cloud at ${cloudUrl}`,
      async () => (await fetch(`${cloudUrl}/oauth2/.well-known/openid-configuration`)).ok,
      { timeoutMs: 60_000, intervalMs: 250, abort: cloud.exitNote },
    ).catch((err: unknown) => {
      throw new LabStepError(err instanceof Error ? err.message : String(err), `read ${cloud.logFile}`);
    });
    ctx.cloudUrl = cloudUrl;
    progress(`signing in as ${adminUpn}`);
    ctx.api = await connectAdminApi(cloudUrl, {
      username: adminUpn,
      password: ctx.secrets.cloudAdminPassword,
    });
    return `${cloudUrl}, tenant ${ctx.initialDomain}${created ? ' (new)' : ' (reused)'}`;
  },
};
