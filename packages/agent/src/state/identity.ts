// Who the agent is: its registration with the cloud, the domain it serves, and its key pair.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
} from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type PublicJwk, publicJwkSchema } from '@cloudsync/protocol';
import { z } from 'zod';
import { writeFileAtomic } from './state-dir.js';

export const IDENTITY_FILE = 'agent.json';
export const PRIVATE_KEY_FILE = 'agent-key.pem';

/** `agent.json`: everything the agent needs to run, and no secret. */
export const agentIdentitySchema = z.object({
  agentId: z.string().min(1),
  clientId: z.string().min(1),
  tokenEndpoint: z.url(),
  apiBaseUrl: z.url(),
  cloudUrl: z.url(),
  /** PEM CA file trusted for the cloud's HTTPS certificate, when not a public CA. */
  cloudCaFile: z.string().optional(),
  host: z.string().min(1),
  installedAt: z.string(),
  domain: z.object({
    dnsName: z.string().min(1),
    netbiosName: z.string().min(1),
    sid: z.string().min(1),
    domainRoot: z.string().min(1),
  }),
  dc: z.object({
    /** `ldaps://host:636`. */
    url: z.string().min(1),
    /** Host name or address of the DC for MS-DRSR (endpoint mapper on TCP 135). */
    host: z.string().min(1),
    caFile: z.string().optional(),
  }),
  serviceAccount: z.object({
    upn: z.string().min(1),
    dn: z.string().min(1),
    sAMAccountName: z.string().min(1),
    /** True when the wizard created it (uninstall then removes it). */
    created: z.boolean(),
  }),
  passwordHashSync: z.boolean(),
});
export type AgentIdentity = z.infer<typeof agentIdentitySchema>;

/** Reads `agent.json`, or undefined when the agent is not installed in `stateDir`. */
export async function readIdentity(stateDir: string): Promise<AgentIdentity | undefined> {
  let text: string;
  try {
    text = await readFile(join(stateDir, IDENTITY_FILE), 'utf8');
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return undefined;
    throw err;
  }
  return agentIdentitySchema.parse(JSON.parse(text));
}

/** Writes `agent.json` atomically (mode 0600: it names the service account). */
export async function writeIdentity(stateDir: string, identity: AgentIdentity): Promise<void> {
  await writeFileAtomic(join(stateDir, IDENTITY_FILE), `${JSON.stringify(identity, null, 2)}\n`);
}

/** The agent's key pair: the private key signs client assertions and opens writeback secrets. */
export interface AgentKey {
  privateKey: KeyObject;
  publicJwk: PublicJwk;
}

function publicJwkOf(privateKey: KeyObject, kid: string): PublicJwk {
  return publicJwkSchema.parse({ ...createPublicKey(privateKey).export({ format: 'jwk' }), kid });
}

/**
 * Loads the private key from `agent-key.pem`, or generates an EC P-256 key pair and stores it
 * (mode 0600) when there is none or `rotate` is set.
 */
export async function loadOrCreateKey(
  stateDir: string,
  options: { rotate?: boolean } = {},
): Promise<AgentKey> {
  const path = join(stateDir, PRIVATE_KEY_FILE);
  if (!options.rotate) {
    const existing = await loadKey(stateDir);
    if (existing) return existing;
  }
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const kid = randomUUID();
  await writeFileAtomic(path, pem);
  await writeFileAtomic(`${path}.kid`, `${kid}\n`, 0o644);
  return { privateKey, publicJwk: publicJwkOf(privateKey, kid) };
}

/** Loads the stored key pair, or undefined when there is none. */
export async function loadKey(stateDir: string): Promise<AgentKey | undefined> {
  const path = join(stateDir, PRIVATE_KEY_FILE);
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return undefined;
    throw err;
  }
  const kid = (await readFile(`${path}.kid`, 'utf8').catch(() => 'agent-key')).trim();
  const privateKey = createPrivateKey(pem);
  return { privateKey, publicJwk: publicJwkOf(privateKey, kid) };
}

/** Deletes the identity and the key pair (uninstall). */
export async function forgetIdentity(stateDir: string): Promise<void> {
  for (const f of [IDENTITY_FILE, PRIVATE_KEY_FILE, `${PRIVATE_KEY_FILE}.kid`]) {
    await rm(join(stateDir, f), { force: true });
  }
}
