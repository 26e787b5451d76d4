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
import { closeSync, cpSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Client } from 'ldapts';
import { AddressInUseError, claimAddress } from './address-lock.js';

export { AddressInUseError } from './address-lock.js';

import { commandLine, exited, isAlive, portInUse, runCommand, stopPid, tail, waitUntil } from './process.js';
import { ensureCa, ensureServerCert, krb5Conf, smbConf } from './samba-files.js';

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

async function assertPortsFree(ip: string): Promise<void> {
  for (const port of [636, 389, 88, 135]) {
    if (await portInUse(ip, port)) {
      throw new AddressInUseError(
        `${ip}:${port} is in use: another DC runs on this address (see \`ss -ltnp\`)`,
      );
    }
  }
}

async function writeConfig(dir: string, ip: string): Promise<string> {
  const meta = readDcProvision(dir);
  for (const sub of ['run', 'log', 'cache']) mkdirSync(join(dir, sub), { recursive: true });
  await ensureServerCert(dir, meta, ip);
  const conf = smbConfPath(dir);
  await writeFile(conf, smbConf(dir, meta, ip));
  await writeFile(join(dir, 'etc', 'krb5.conf'), krb5Conf(meta, ip));
  return conf;
}

function spawnSamba(conf: string, logPath: string): ChildProcess {
  const out = openSync(logPath, 'a');
  try {
    // detached: Samba leads its own process group, so stop() can reach its worker processes and a
    // Ctrl-C meant for the test runner does not kill it half-way. stdin stays a pipe: Samba in
    // interactive mode exits when it closes, i.e. when this process dies.
    return spawn(SAMBA, ['-i', '--debuglevel=1', `--configfile=${conf}`], {
      detached: true,
      stdio: ['pipe', out, out],
    });
  } finally {
    closeSync(out);
  }
}

/**
 * Starts the DC of a provisioned folder on its own loopback address and resolves once LDAPS
 * answers an Administrator bind. Stop it with `stop()`; it also exits by itself when this
 * process dies (Samba ends when its stdin closes).
 * @throws AddressInUseError when another DC holds `ip`.
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
  refuseIfRunning(dir);
  const release = claimAddress(opts.ip);
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (child) {
      child.stdin?.destroy();
      if (child.pid !== undefined) await stopPid(child.pid, { group: true, graceMs: 10_000 });
      await exited(child);
    }
    release();
  };
  try {
    await assertPortsFree(opts.ip);
    const conf = await writeConfig(dir, opts.ip);
    const logPath = join(dir, 'log', 'samba.out');
    child = spawnSamba(conf, logPath);
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not start ${SAMBA}`);
    let exitNote: string | undefined;
    child.once('exit', (code, signal) => {
      exitNote = `samba exited (${code ?? signal}); log: ${logPath}\n${tail(readFileSync(logPath, 'utf8'), 30)}`;
    });
    const info = dcInfo(dir, opts.ip, opts.adminPassword);
    await waitUntil(`Samba DC at ${opts.ip}`, () => ldapsAnswers(info), {
      timeoutMs: opts.timeoutMs ?? 90_000,
      intervalMs: 300,
      abort: () => exitNote,
    });
    return { info, pid, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Starts the DC on the first of `ips` that no other DC holds.
 * @example await startDcOnFreeAddress({ dir, ips: ['127.0.0.21', '127.0.0.23'] })
 */
export async function startDcOnFreeAddress(opts: {
  dir: string;
  ips: string[];
  adminPassword?: string;
}): Promise<RunningDc> {
  const taken: string[] = [];
  for (const ip of opts.ips) {
    try {
      return await startDc({ dir: opts.dir, ip, adminPassword: opts.adminPassword });
    } catch (err) {
      if (!(err instanceof AddressInUseError)) throw err;
      taken.push(err.message);
    }
  }
  throw new AddressInUseError(`no free address for a DC:\n${taken.join('\n')}`);
}
