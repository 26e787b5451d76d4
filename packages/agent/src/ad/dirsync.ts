// DirSync (1.2.840.113556.1.4.841, [MS-ADTS] 3.1.1.3.4.1.3): what changed since a cookie. The base
// must be the domain root; only changed attributes come back, and an object none of whose requested
// attributes changed is not returned at all.
import type { Entry } from 'ldapts';
import { BUFFER_ATTRIBUTE_NAMES, SYNC_ATTRIBUTES, SYNC_FILTER } from './attributes.js';
import type { AdConnection } from './connection.js';
import { DIRSYNC_FLAG, DirSyncControl } from './controls.js';
import { AdError } from './errors.js';

/**
 * Flags the agent uses. Object security lets an account without "Replicating Directory Changes" use
 * DirSync (it sees what it may read); ancestors first keeps parents before children. Incremental
 * values are off: a changed `member` comes back whole, and the agent re-reads the object anyway.
 */
export const AGENT_DIRSYNC_FLAGS = DIRSYNC_FLAG.objectSecurity | DIRSYNC_FLAG.ancestorsFirstOrder;

/** What to ask DirSync for. */
export interface DirSyncOptions {
  /** The domain root (DirSync refuses any other base). */
  domainRoot: string;
  filter?: string;
  attributes?: readonly string[];
  flags?: number;
  /** Upper bound of a reply's size in bytes (0: the DC's default). */
  maxBytes?: number;
}

/** One DirSync reply. */
export interface DirSyncPage {
  /** Changed entries: DN, objectGUID, and only the requested attributes that changed. */
  entries: Entry[];
  /** Cookie to continue from (store it only after the entries were handled). */
  cookie: Buffer;
  /** True when the DC has more changes waiting: call again with `cookie` at once. */
  more: boolean;
}

/** One DirSync request from `cookie` (empty for "from the beginning"). */
export async function dirSyncPage(
  ad: AdConnection,
  cookie: Buffer,
  options: DirSyncOptions,
): Promise<DirSyncPage> {
  const control = new DirSyncControl(options.flags ?? AGENT_DIRSYNC_FLAGS, cookie, options.maxBytes ?? 0);
  const entries = await ad.search(
    options.domainRoot,
    {
      scope: 'sub',
      filter: options.filter ?? SYNC_FILTER,
      attributes: [...(options.attributes ?? SYNC_ATTRIBUTES)],
      explicitBufferAttributes: BUFFER_ATTRIBUTE_NAMES,
      timeLimit: 0,
    },
    [control],
  );
  if (!control.response)
    throw new AdError('ad.protocol', 'the DC answered DirSync without a DirSync control');
  return { entries, cookie: control.response.cookie, more: control.response.more };
}

/** All DirSync pages from `cookie` until the DC has no more. */
export async function* dirSyncPages(
  ad: AdConnection,
  cookie: Buffer,
  options: DirSyncOptions,
): AsyncGenerator<DirSyncPage> {
  let next = cookie;
  for (;;) {
    const page = await dirSyncPage(ad, next, options);
    yield page;
    next = page.cookie;
    if (!page.more) return;
  }
}

/**
 * A cookie for "now" without transferring the directory: a DirSync whose filter matches nothing
 * walks to the DC's current position and returns no entries. Take it *before* a full import, so
 * changes made during the import are replayed by the next delta.
 */
export async function dirSyncCurrentCookie(ad: AdConnection, domainRoot: string): Promise<Buffer> {
  let cookie: Buffer = Buffer.alloc(0);
  for await (const page of dirSyncPages(ad, cookie, {
    domainRoot,
    // objectGUID is never this value, so no entry matches.
    filter:
      '(&(objectClass=user)(objectGUID=\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00))',
    attributes: ['objectGUID'],
  })) {
    cookie = page.cookie;
  }
  return cookie;
}
