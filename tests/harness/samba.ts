// A throw-away Samba AD DC on its own loopback address: provision once into a folder, start it
// (from that folder or from a copy of it), stop it by pid.
//
// Loopback addresses: Samba only binds addresses that it finds on a network interface. With
// `interfaces = 127.0.0.21` it logs "no network interfaces found" and listens nowhere unless that
// address was first added to `lo` (`ip addr add 127.0.0.21/8 dev lo`, root only). The form
// `interfaces = 127.0.0.21/8` needs no such step: Samba matches the network against lo's
// 127.0.0.1/8 and binds exactly 127.0.0.21 (with `bind interfaces only = yes`), which Linux allows
// for any 127.x.y.z. So every DC gets its own address with nothing changed on the machine.
//
// Everything a DC writes lives inside its folder (pid, lock, state, cache, private, ncalrpc and
// socket dirs, logs), so a copied folder starts as an independent DC: only its smb.conf, written
// anew at every start, carries absolute paths.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Client } from 'ldapts';
import { commandLine, exited, isAlive, portInUse, runCommand, stopPid, tail, waitUntil } from './process.js';

/** What tests receive (as JSON in CLOUDSYNC_TEST_AD) to reach a running DC. */
export interface AdTestInfo {
  ip: string;
  ldapUrl: string;
  ldapsUrl: string;
  realm: string;
  netbiosDomain: string;
  baseDn: string;
  adminDn: string;
  adminUpn: string;
  adminPassword: string;
  /** PEM of the CA that signed the DC's LDAPS certificate (valid for `ip` and the DC's host name). */
  caFile: string;
  /** The DC's folder; its smb.conf is `<dir>/etc/cloudsync-smb.conf`. */
  dir: string;
  /** A krb5.conf whose KDC is this DC (no DNS needed): `KRB5_CONFIG=<krb5Conf> kinit ...`. */
  krb5Conf: string;
}

/** Facts fixed at provisioning time, kept in `<dir>/cloudsync-dc.json` (no password in it). */
export interface DcProvision {
  realm: string;
  netbiosDomain: string;
  hostName: string;
  baseDn: string;
}

/** A started DC. */
export interface RunningDc {
  info: AdTestInfo;
  pid: number;
  stop(): Promise<void>;
}

export const TEST_REALM = 'CORP.EXAMPLE.TEST';
export const TEST_NETBIOS_DOMAIN = 'CORP';
/** Test-only Administrator password; meets Samba's default complexity policy. */
export const TEST_ADMIN_PASSWORD = 'Harness-Adm1n-Pass!';

const SAMBA = '/usr/sbin/samba';
const SAMBA_TOOL = '/usr/bin/samba-tool';
const META_FILE = 'cloudsync-dc.json';

/** Path of the smb.conf that `startDc` writes for a DC folder. */
export function smbConfPath(dir: string): string {
  return join(resolve(dir), 'etc', 'cloudsync-smb.conf');
}

/** True when `dir` holds a DC provisioned by `provisionDc`. */
export function isProvisioned(dir: string): boolean {
  return existsSync(join(dir, META_FILE)) && existsSync(join(dir, 'private', 'sam.ldb'));
}

/** Reads the provisioning facts of a DC folder. */
export function readDcProvision(dir: string): DcProvision {
  // Written by provisionDc below; its shape is ours.
  return JSON.parse(readFileSync(join(dir, META_FILE), 'utf8')) as DcProvision;
}

/**
 * Provisions a new domain into an empty folder (about 5–10 s). The DC is not started.
 * @example await provisionDc({ dir: '/tmp/dc31' })
 */
export async function provisionDc(opts: {
  dir: string;
  realm?: string;
  netbiosDomain?: string;
  adminPassword?: string;
  hostName?: string;
}): Promise<DcProvision> {
  const dir = resolve(opts.dir);
  const realm = (opts.realm ?? TEST_REALM).toUpperCase();
  const netbiosDomain = (opts.netbiosDomain ?? TEST_NETBIOS_DOMAIN).toUpperCase();
  const hostName = (opts.hostName ?? 'DC1').toUpperCase();
  mkdirSync(dir, { recursive: true });
  await runCommand(SAMBA_TOOL, [
    'domain',
    'provision',
    '--use-rfc2307',
    '--dns-backend=NONE',
    '--server-role=dc',
    `--realm=${realm}`,
    `--domain=${netbiosDomain}`,
    `--host-name=${hostName}`,
    `--targetdir=${dir}`,
    // samba-tool reads the password from argv only; this is a throw-away test domain.
    `--adminpass=${opts.adminPassword ?? TEST_ADMIN_PASSWORD}`,
  ]);
  const baseDn = realm
    .toLowerCase()
    .split('.')
    .map((part) => `DC=${part}`)
    .join(',');
  const meta: DcProvision = { realm, netbiosDomain, hostName, baseDn };
  await writeFile(join(dir, META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
  await ensureCa(dir, meta);
  return meta;
}

/** Copies a stopped, provisioned DC folder; the copy starts as a DC of its own. */
export function copyDc(from: string, to: string): void {
  if (existsSync(to)) throw new Error(`copyDc: ${to} exists already`);
  const src = resolve(from);
  cpSync(src, to, {
    recursive: true,
    preserveTimestamps: true,
    // Sockets of a (past) running DC cannot be copied and mean nothing in the copy.
    filter: (path) => {
      const st = lstatSync(path);
      return (st.isFile() || st.isDirectory() || st.isSymbolicLink()) && path !== join(src, 'run');
    },
  });
}

function smbConf(dir: string, meta: DcProvision, ip: string): string {
  const tls = join(dir, 'tls');
  return `# Written by tests/harness/samba.ts at every start; edits are lost.
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

function krb5Conf(meta: DcProvision, ip: string): string {
  const realm = meta.realm;
  const domain = realm.toLowerCase();
  return `# Written by tests/harness/samba.ts at every start.
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
async function ensureCa(dir: string, meta: DcProvision): Promise<void> {
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
async function ensureServerCert(dir: string, meta: DcProvision, ip: string): Promise<void> {
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

/** The connection facts of a DC folder served at `ip`. */
export function dcInfo(dir: string, ip: string, adminPassword = TEST_ADMIN_PASSWORD): AdTestInfo {
  const abs = resolve(dir);
  const meta = readDcProvision(abs);
  return {
    ip,
    ldapUrl: `ldap://${ip}:389`,
    ldapsUrl: `ldaps://${ip}:636`,
    realm: meta.realm,
    netbiosDomain: meta.netbiosDomain,
    baseDn: meta.baseDn,
    adminDn: `CN=Administrator,CN=Users,${meta.baseDn}`,
    adminUpn: `Administrator@${meta.realm.toLowerCase()}`,
    adminPassword,
    caFile: join(abs, 'tls', 'ca.pem'),
    dir: abs,
    krb5Conf: join(abs, 'etc', 'krb5.conf'),
  };
}

/** Binds over LDAPS as Administrator and reads the rootDSE: the DC is ready when this works. */
async function ldapsAnswers(info: AdTestInfo): Promise<boolean> {
  const client = new Client({
    url: info.ldapsUrl,
    connectTimeout: 2000,
    timeout: 5000,
    tlsOptions: { ca: [readFileSync(info.caFile)] },
  });
  try {
    await client.bind(info.adminUpn, info.adminPassword);
    const { searchEntries } = await client.search('', {
      scope: 'base',
      attributes: ['defaultNamingContext'],
    });
    return searchEntries[0]?.defaultNamingContext === info.baseDn;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

function refuseIfRunning(dir: string): void {
  const pidFile = join(dir, 'run', 'samba.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
  if (pid > 0 && isAlive(pid) && commandLine(pid)?.includes('samba')) {
    throw new Error(`a Samba DC from ${dir} is running already (pid ${pid}); stop it first`);
  }
  rmSync(pidFile, { force: true });
}

/**
 * Starts the DC of a provisioned folder on its own loopback address and resolves once LDAPS
 * answers an Administrator bind. Stop it with `stop()`; it also exits by itself when this
 * process dies (Samba ends when its stdin closes).
 * @example const dc = await startDc({ dir: '/tmp/dc31', ip: '127.0.0.31' });
 */
export async function startDc(opts: {
  dir: string;
  ip: string;
  adminPassword?: string;
  timeoutMs?: number;
}): Promise<RunningDc> {
  const dir = resolve(opts.dir);
  if (!isProvisioned(dir)) throw new Error(`${dir} holds no provisioned DC (run provisionDc first)`);
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(opts.ip)) throw new Error(`not a loopback IPv4: ${opts.ip}`);
  const meta = readDcProvision(dir);
  refuseIfRunning(dir);
  for (const port of [636, 389, 88, 135]) {
    if (await portInUse(opts.ip, port)) {
      throw new Error(`${opts.ip}:${port} is in use: another DC runs on this address (see \`ss -ltnp\`)`);
    }
  }
  for (const sub of ['run', 'log', 'cache']) mkdirSync(join(dir, sub), { recursive: true });
  await ensureServerCert(dir, meta, opts.ip);
  const conf = smbConfPath(dir);
  await writeFile(conf, smbConf(dir, meta, opts.ip));
  await writeFile(join(dir, 'etc', 'krb5.conf'), krb5Conf(meta, opts.ip));

  const logPath = join(dir, 'log', 'samba.out');
  const out = openSync(logPath, 'a');
  let child: ChildProcess;
  try {
    // detached: Samba leads its own process group, so stop() can reach its worker processes and a
    // Ctrl-C meant for the test runner does not kill it half-way. stdin stays a pipe: Samba in
    // interactive mode exits when it closes, i.e. when this process dies.
    child = spawn(SAMBA, ['-i', '--debuglevel=1', `--configfile=${conf}`], {
      detached: true,
      stdio: ['pipe', out, out],
    });
  } finally {
    closeSync(out);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${SAMBA}`);
  let exitNote: string | undefined;
  child.once('exit', (code, signal) => {
    exitNote = `samba exited (${code ?? signal}); log: ${logPath}\n${tail(readFileSync(logPath, 'utf8'), 30)}`;
  });
  const info = dcInfo(dir, opts.ip, opts.adminPassword);
  const stop = async () => {
    child.stdin?.destroy();
    await stopPid(pid, { group: true, graceMs: 10_000 });
    await exited(child);
  };
  try {
    await waitUntil(`Samba DC at ${opts.ip}`, () => ldapsAnswers(info), {
      timeoutMs: opts.timeoutMs ?? 90_000,
      intervalMs: 300,
      abort: () => exitNote,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { info, pid, stop };
}
