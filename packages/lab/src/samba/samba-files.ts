// The files a DC folder needs besides Samba's own: the smb.conf and krb5.conf written at every
// start, and a CA with an LDAPS certificate per address, so that clients verify the DC fully.
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from './process.js';
import type { DcProvision } from './samba.js';

/** The smb.conf of a DC folder served at `ip` (see samba.ts for the choices). */
export function smbConf(dir: string, meta: DcProvision, ip: string): string {
  const tls = join(dir, 'tls');
  return `# Written by packages/lab/src/samba/samba.ts at every start; edits are lost.
[global]
	netbios name = ${meta.hostName}
	workgroup = ${meta.netbiosDomain}
	realm = ${meta.realm}
	server role = active directory domain controller
	# LDAP(S), Kerberos, and the RPC server (endpoint mapper on 135, drsuapi, netlogon, samr, lsarpc).
	server services = rpc, ldap, cldap, kdc
	interfaces = ${ip}/8
	bind interfaces only = yes
	pid directory = ${dir}/run
	lock directory = ${dir}
	state directory = ${dir}/state
	cache directory = ${dir}/cache
	private dir = ${dir}/private
	binddns dir = ${dir}/bind-dns
	ncalrpc dir = ${dir}/run/ncalrpc
	winbindd socket directory = ${dir}/run/winbindd
	ntp signd socket directory = ${dir}/run/ntp_signd
	log file = ${dir}/log/samba.log
	max log size = 10000
	tls enabled = yes
	tls keyfile = ${tls}/server-${ip}.key
	tls certfile = ${tls}/server-${ip}.pem
	tls cafile = ${tls}/ca.pem
	idmap_ldb:use rfc2307 = yes

[sysvol]
	path = ${dir}/state/sysvol
	read only = no

[netlogon]
	path = ${dir}/state/sysvol/${meta.realm.toLowerCase()}/scripts
	read only = no
`;
}

/** A krb5.conf naming the DC at `ip` as the realm's KDC, so Kerberos needs no DNS. */
export function krb5Conf(meta: DcProvision, ip: string): string {
  const realm = meta.realm;
  const domain = realm.toLowerCase();
  return `# Written by packages/lab/src/samba/samba.ts at every start.
[libdefaults]
	default_realm = ${realm}
	dns_lookup_realm = false
	dns_lookup_kdc = false
	rdns = false

[realms]
	${realm} = {
		kdc = ${ip}
		admin_server = ${ip}
		kpasswd_server = ${ip}
	}

[domain_realm]
	${domain} = ${realm}
	.${domain} = ${realm}
`;
}

/** A CA per DC folder, made once, so that LDAPS clients can verify the DC fully. */
export async function ensureCa(dir: string, meta: DcProvision): Promise<void> {
  const tls = join(dir, 'tls');
  if (existsSync(join(tls, 'ca.pem'))) return;
  mkdirSync(tls, { recursive: true, mode: 0o700 });
  await runCommand('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '3650',
    '-subj',
    `/O=cloudsync test/CN=Test CA ${meta.realm}`,
    '-keyout',
    join(tls, 'ca.key'),
    '-out',
    join(tls, 'ca.pem'),
  ]);
  chmodSync(join(tls, 'ca.key'), 0o600);
}

/** The DC's LDAPS certificate for one address (made on first start at that address). */
export async function ensureServerCert(dir: string, meta: DcProvision, ip: string): Promise<void> {
  await ensureCa(dir, meta);
  const tls = join(dir, 'tls');
  const key = join(tls, `server-${ip}.key`);
  if (existsSync(key)) return;
  const fqdn = `${meta.hostName}.${meta.realm}`.toLowerCase();
  await runCommand('openssl', [
    'req',
    '-x509',
    '-CA',
    join(tls, 'ca.pem'),
    '-CAkey',
    join(tls, 'ca.key'),
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '3650',
    '-subj',
    `/O=cloudsync test/CN=${fqdn}`,
    '-addext',
    `subjectAltName=IP:${ip},DNS:${fqdn},DNS:${meta.realm.toLowerCase()}`,
    '-addext',
    'extendedKeyUsage=serverAuth',
    '-keyout',
    key,
    '-out',
    join(tls, `server-${ip}.pem`),
  ]);
  // Samba refuses a key file that others can read.
  chmodSync(key, 0o600);
}
