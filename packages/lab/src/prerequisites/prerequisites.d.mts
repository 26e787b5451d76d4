// Types of prerequisites.mjs (plain JavaScript so that it runs before `npm ci`).
import type { StdioOptions } from 'node:child_process';

/** Debian packages of a Samba AD DC and the tools around it (LDAP, Kerberos, TLS, setpriv). */
export const SAMBA_PACKAGES: readonly string[];
/** Everything `npm test` needs: Samba, PostgreSQL and Chromium. */
export const TEST_PACKAGES: readonly string[];
/** The packages of `packages` that dpkg does not list as installed. */
export function missingDebianPackages(packages: readonly string[]): string[];
/** The command a root user runs to install `missing`. */
export function aptInstallCommand(missing: readonly string[]): string;
/** True when this process may run apt-get. */
export function isRoot(): boolean;
/** Installs `missing` with apt-get (root only); returns what is still missing afterwards. */
export function installDebianPackages(missing: readonly string[], opts?: { stdio?: StdioOptions }): string[];
/** True when `node_modules` is missing or older than `package-lock.json` under `root`. */
export function npmPackagesOutdated(root: string): boolean;
/** Runs `npm ci` in `root`; throws when it fails. */
export function installNpmPackages(root: string, opts?: { stdio?: StdioOptions }): void;
