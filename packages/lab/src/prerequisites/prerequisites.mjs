// What the real parts need on this machine (Debian packages, npm packages), checked and installed the
// same way by `npm test` (scripts/test.mjs), `npm run lab` (packages/lab/bin/lab.mjs) and the lab's
// first step. Plain JavaScript without dependencies on purpose: it runs before `npm ci` has.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Debian packages of a Samba AD DC and the tools around it (LDAP, Kerberos, TLS, setpriv). */
export const SAMBA_PACKAGES = Object.freeze([
  'samba',
  'samba-ad-dc',
  'samba-ad-provision',
  'python3-samba',
  'winbind',
  'ldap-utils',
  'krb5-user',
  'openssl',
  'util-linux',
]);

/** Everything `npm test` needs: Samba, PostgreSQL and Chromium. */
export const TEST_PACKAGES = Object.freeze([...SAMBA_PACKAGES, 'postgresql', 'chromium']);

/**
 * The packages of `packages` that dpkg does not list as installed.
 * @throws Error when dpkg-query is missing (not a Debian machine).
 */
export function missingDebianPackages(packages) {
  // dpkg-query's own ${field} syntax, not a template string.
  const format = ['-f=$', '{Package} $', '{db:Status-Status}\n'].join('');
  const r = spawnSync('dpkg-query', ['-W', format, ...packages], { encoding: 'utf8' });
  if (r.error) {
    throw new Error('dpkg-query is not available: this needs a Debian (or Debian-derived) machine.');
  }
  const installed = new Set(
    r.stdout
      .split('\n')
      .map((line) => line.split(' '))
      .filter(([, status]) => status === 'installed')
      .map(([name]) => name),
  );
  return packages.filter((p) => !installed.has(p));
}

/** The command a root user runs to install `missing`. */
export function aptInstallCommand(missing) {
  return `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing.join(' ')}`;
}

/** True when this process may run apt-get. */
export function isRoot() {
  return process.getuid?.() === 0;
}

/**
 * Installs `missing` with apt-get (root only). Returns what is still missing afterwards, or throws
 * with the failing command. `stdio` is passed to apt-get ('inherit' to show its output).
 */
export function installDebianPackages(missing, { stdio = 'inherit' } = {}) {
  if (missing.length === 0) return [];
  if (!isRoot()) throw new Error(`not root: install them with\n    ${aptInstallCommand(missing)}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', ...missing]]) {
    const r = spawnSync('apt-get', args, { stdio, env, encoding: 'utf8' });
    if (r.status !== 0) {
      const output =
        typeof r.stderr === 'string' ? `\n${r.stderr.trim().split('\n').slice(-10).join('\n')}` : '';
      throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status ?? r.signal})${output}`);
    }
  }
  return missingDebianPackages(missing);
}

/** True when `node_modules` is missing or older than `package-lock.json` under `root`. */
export function npmPackagesOutdated(root) {
  const marker = join(root, 'node_modules/.package-lock.json');
  const lock = join(root, 'package-lock.json');
  return !existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs;
}

/** Runs `npm ci` in `root`; throws when it fails. */
export function installNpmPackages(root, { stdio = 'inherit' } = {}) {
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio });
  if (r.status !== 0) throw new Error(`npm ci failed (exit ${r.status ?? r.signal})`);
}
