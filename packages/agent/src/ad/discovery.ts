// Domain discovery: what the agent learns about a domain from the DC it is bound to.
import { BUFFER_ATTRIBUTE_NAMES, guidToString, sidToString } from './attributes.js';
import type { AdConnection } from './connection.js';
import { AdError } from './errors.js';

/** Facts about the domain and the DC that answered. */
export interface AdDomainInfo {
  /** `DC=corp,DC=example,DC=test`. */
  defaultNamingContext: string;
  configurationNamingContext: string;
  /** `corp.example.test`. */
  dnsDomainName: string;
  /** `CORP`. */
  netbiosName: string;
  /** `S-1-5-21-...`. */
  domainSid: string;
  domainGuid: string;
  /** The DC's DNS host name. */
  dcHostName: string;
  /** The DC's highest committed USN when asked (a decimal string: it can exceed 2^53 in theory). */
  highestCommittedUsn: string;
  supportedControls: string[];
  domainFunctionality: number;
}

function one(entry: Record<string, unknown> | undefined, name: string): string | undefined {
  const v = entry?.[name];
  const x = Array.isArray(v) ? v[0] : v;
  if (typeof x === 'string') return x;
  if (Buffer.isBuffer(x)) return x.toString();
  return undefined;
}

function many(entry: Record<string, unknown> | undefined, name: string): string[] {
  const v = entry?.[name];
  const list: unknown[] = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is string => typeof x === 'string');
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new AdError('ad.protocol', `the DC did not return ${what}`);
  return value;
}

/** Reads the rootDSE (anonymous-safe attributes; works on any bound connection). */
export async function readRootDse(ad: AdConnection): Promise<Record<string, unknown>> {
  const [root] = await ad.search('', {
    scope: 'base',
    filter: '(objectClass=*)',
    attributes: [
      'defaultNamingContext',
      'configurationNamingContext',
      'dnsHostName',
      'highestCommittedUSN',
      'supportedControl',
      'domainFunctionality',
    ],
  });
  if (!root) throw new AdError('ad.protocol', 'the DC returned no rootDSE');
  return root;
}

/** The DC's highestCommittedUSN now. */
export async function highestCommittedUsn(ad: AdConnection): Promise<string> {
  return required(one(await readRootDse(ad), 'highestCommittedUSN'), 'highestCommittedUSN');
}

/**
 * Discovers the domain: rootDSE, the domain object (SID, GUID) and its crossRef under
 * `CN=Partitions` (NetBIOS and DNS names).
 */
export async function discoverDomain(ad: AdConnection): Promise<AdDomainInfo> {
  const root = await readRootDse(ad);
  const defaultNc = required(one(root, 'defaultNamingContext'), 'defaultNamingContext');
  const configNc = required(one(root, 'configurationNamingContext'), 'configurationNamingContext');
  const [domain] = await ad.search(defaultNc, {
    scope: 'base',
    filter: '(objectClass=domain)',
    attributes: ['objectSid', 'objectGUID'],
    explicitBufferAttributes: BUFFER_ATTRIBUTE_NAMES,
  });
  const sid = domain?.objectSid;
  const guid = domain?.objectGUID;
  if (!Buffer.isBuffer(sid) || !Buffer.isBuffer(guid)) {
    throw new AdError('ad.protocol', `cannot read objectSid/objectGUID of ${defaultNc}`);
  }
  const escaped = defaultNc.replace(
    /[\\*()\0]/g,
    (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  const [crossRef] = await ad.search(`CN=Partitions,${configNc}`, {
    scope: 'one',
    filter: `(&(objectClass=crossRef)(nCName=${escaped}))`,
    attributes: ['nETBIOSName', 'dnsRoot'],
  });
  return {
    defaultNamingContext: defaultNc,
    configurationNamingContext: configNc,
    dnsDomainName: required(one(crossRef, 'dnsRoot'), `dnsRoot of the crossRef for ${defaultNc}`),
    netbiosName: required(one(crossRef, 'nETBIOSName'), `nETBIOSName of the crossRef for ${defaultNc}`),
    domainSid: sidToString(sid),
    domainGuid: guidToString(guid),
    dcHostName: required(one(root, 'dnsHostName'), 'dnsHostName'),
    highestCommittedUsn: required(one(root, 'highestCommittedUSN'), 'highestCommittedUSN'),
    supportedControls: [...new Set(many(root, 'supportedControl'))],
    domainFunctionality: Number(one(root, 'domainFunctionality') ?? 0),
  };
}
