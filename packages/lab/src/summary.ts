// What the lab prints once every step passed: where things are, and this run's credentials (shown
// here once, kept nowhere).
import type { LabContext } from './lab-context.js';

/** The closing text of a successful run. */
export function labSummary(ctx: LabContext): string {
  const url = ctx.cloudUrl ?? '(not started)';
  const lines = [
    'The lab is up.',
    '',
    `  Admin center      ${url}/admin`,
    `  Admin API         ${url}/v1.0   (Graph-shaped)`,
    `  Password reset    ${url}/password-reset`,
  ];
  if (ctx.mailAppUrl) lines.push(`  Mail app          ${ctx.mailAppUrl}`);
  if (ctx.mailbox) lines.push(`  Local mailbox     ${ctx.mailbox.url}`);
  if (ctx.dc)
    lines.push(
      `  Domain controller ${ctx.dc.info.ldapsUrl}   (${ctx.dc.info.realm}, CA ${ctx.dc.info.caFile})`,
    );
  lines.push('', 'Credentials of this run (new at every run, stored nowhere):');
  if (ctx.adminUpn)
    lines.push(`  Cloud Global Administrator  ${ctx.adminUpn}  ${ctx.secrets.cloudAdminPassword}`);
  if (ctx.bobby?.cloudUpn) {
    const password = ctx.secrets.bobbyResetPassword ?? ctx.secrets.bobbyPassword;
    lines.push(`  Bobby Smith (cloud)         ${ctx.bobby.cloudUpn}  ${password}`);
    lines.push(`  Bobby Smith (AD)            ${ctx.bobby.adUpn}  (same password)`);
  }
  if (ctx.dc)
    lines.push(`  AD Administrator            ${ctx.dc.info.adminUpn}  ${ctx.secrets.adAdminPassword}`);
  lines.push('', `Logs: ${ctx.paths.logs}`);
  return lines.join('\n');
}
