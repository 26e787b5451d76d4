// What the lab's steps share: where things live, what runs, and the secrets of this run (in memory
// only; they are printed once at the end and never written to disk or a log).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AdminApi } from './admin-api.js';
import type { LabChild } from './children.js';
import type { LabMailbox } from './mailbox.js';
import type { RunningDc } from './samba/samba.js';

/** How to run the lab. */
export interface LabOptions {
  /** Folder that holds everything the lab builds (`./.lab`). */
  dir: string;
  /** Loopback address of the DC and the cloud (127.0.0.11; the end-to-end test uses 127.0.0.12). */
  ip: string;
  /** Tenant name: the initial domain is `<tenant>.cloudsync.test`. */
  tenant: string;
  /** Cloud port for a new lab (default 8443; 0 picks a free port). A lab keeps the port it started with. */
  cloudPort?: number;
  /** Install missing Debian packages when root (default true). */
  installPackages?: boolean;
}

/** Facts of a lab folder kept across runs in `<dir>/lab.json` (no secret in it). */
export interface LabFacts {
  ip: string;
  cloudPort: number;
  tenant: string;
}

/** The AD domain of the lab. */
export const LAB_REALM = 'CORP.CONTOSO.TEST';
export const LAB_NETBIOS_DOMAIN = 'CONTOSO';
/** Bobby Smith, the user the lab follows from AD to the cloud. */
export const BOBBY = { sam: 'bobby', givenName: 'Bobby', sn: 'Smith', displayName: 'Bobby Smith' } as const;
export const DEVELOPER_SKU = 'DEVELOPERPACK_E5';

/** Paths inside a lab folder. */
export function labPaths(dir: string) {
  const root = resolve(dir);
  return {
    root,
    facts: join(root, 'lab.json'),
    dc: join(root, 'dc'),
    cloud: join(root, 'cloud'),
    agent: join(root, 'agent'),
    logs: join(root, 'logs'),
  };
}

export type LabPaths = ReturnType<typeof labPaths>;

/** Secrets of one run: fresh every run, set on the accounts by the steps, shown once at the end. */
export interface LabSecrets {
  adAdminPassword: string;
  cloudAdminPassword: string;
  bobbyPassword: string;
  /** Set by the password-reset step: Bobby's password after the self-service reset. */
  bobbyResetPassword?: string;
}

/** A password that meets AD's and the cloud's complexity rules (upper, lower, digit, symbol). */
export function labPassword(): string {
  return `Lab-${randomBytes(9).toString('base64url')}-7a!`;
}

/** The state the steps build up as they run. */
export interface LabContext {
  options: Required<Omit<LabOptions, 'cloudPort'>> & { cloudPort?: number };
  paths: LabPaths;
  secrets: LabSecrets;
  facts?: LabFacts;
  dc?: RunningDc;
  cloud?: LabChild;
  agent?: LabChild;
  cloudUrl?: string;
  initialDomain?: string;
  adminUpn?: string;
  api?: AdminApi;
  configurationId?: string;
  bobby?: { dn: string; adUpn: string; cloudUpn?: string; cloudId?: string };
  /** The Mail demo app, once started. */
  mailAppUrl?: string;
  /** The local mail sink the cloud sends to, and its page. */
  mailbox?: LabMailbox;
  /** Children to stop and the DC to stop, in reverse order of start. */
  cleanups: (() => Promise<void>)[];
}

/** Reads `<dir>/lab.json`, or undefined for a new lab. */
export function readFacts(paths: LabPaths): LabFacts | undefined {
  if (!existsSync(paths.facts)) return undefined;
  // Written by writeFacts below; its shape is ours.
  return JSON.parse(readFileSync(paths.facts, 'utf8')) as LabFacts;
}

export async function writeFacts(paths: LabPaths, facts: LabFacts): Promise<void> {
  await mkdir(paths.root, { recursive: true });
  await writeFile(paths.facts, `${JSON.stringify(facts, null, 2)}\n`);
}

/** The context a run starts from. */
export function newContext(options: LabOptions): LabContext {
  const paths = labPaths(options.dir);
  return {
    options: { installPackages: true, ...options },
    paths,
    secrets: {
      adAdminPassword: labPassword(),
      cloudAdminPassword: labPassword(),
      bobbyPassword: labPassword(),
    },
    cleanups: [],
  };
}
