// Step 2: a Samba AD DC in `<lab>/dc` on the lab's loopback address, provisioned on the first run and
// reused after. The Administrator gets a fresh password every run (set offline before the DC starts),
// so no password has to be kept between runs.
import { type LabStep, LabStepError } from '../checklist.js';
import { LAB_NETBIOS_DOMAIN, LAB_REALM, type LabContext } from '../lab-context.js';
import { setAdministratorPassword } from '../samba/admin-password.js';
import { AddressInUseError, isProvisioned, provisionDc, startDc } from '../samba/samba.js';

export const startDomainController: LabStep<LabContext> = {
  title: 'Samba AD domain controller',
  async run(ctx, progress) {
    const { dc: dir } = ctx.paths;
    const { ip } = ctx.options;
    const password = ctx.secrets.adAdminPassword;
    let provisioned = false;
    if (isProvisioned(dir)) {
      progress('setting a fresh Administrator password');
      await setAdministratorPassword(dir, password);
    } else {
      progress(`provisioning ${LAB_REALM} into ${dir} (about 5–40 s)`);
      await provisionDc({
        dir,
        realm: LAB_REALM,
        netbiosDomain: LAB_NETBIOS_DOMAIN,
        adminPassword: password,
      });
      provisioned = true;
    }
    progress(`starting the DC on ${ip}`);
    try {
      ctx.dc = await startDc({ dir, ip, adminPassword: password });
    } catch (err) {
      if (err instanceof AddressInUseError) {
        throw new LabStepError(
          err.message,
          `stop whatever holds ${ip} (a lab running elsewhere? \`ss -ltnp | grep ${ip}\`), or give --ip 127.0.0.x`,
        );
      }
      throw new LabStepError(
        err instanceof Error ? err.message : String(err),
        `read ${dir}/log/samba.out and ${dir}/log/samba.log; \`npm run lab -- --down\` starts afresh`,
      );
    }
    const dc = ctx.dc;
    ctx.cleanups.push(() => dc.stop());
    return `${dc.info.realm} at ${dc.info.ldapsUrl}${provisioned ? ' (new)' : ' (reused)'}`;
  },
};
