// Connections to a DC: LDAPS (or LDAP + StartTLS), simple bind as the service account, operation
// timeouts, typed errors, and one transparent reconnect for reads when the DC dropped the line.
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { type Attribute, type Change, Client, type Control, type Entry, type SearchOptions } from 'ldapts';
import { z } from 'zod';
import { AdError, type AdTarget, toAdError } from './errors.js';
import { type AdTlsOptions, checkPin, tlsConnectionOptions } from './tls.js';

/** Where and as whom the agent connects. Validate untrusted input with `adConnectionOptionsSchema`. */
export interface AdConnectionOptions {
  /** `ldaps://host[:636]`, or `ldap://host[:389]` together with `startTls: true`. */
  url: string;
  /** `user@realm` (UPN) or the account's DN. */
  bindDn: string;
  password: string;
  tls?: AdTlsOptions;
  /** Upgrade an `ldap://` connection with StartTLS before binding. */
  startTls?: boolean;
  /** Per-operation timeout (default 30 s). */
  timeoutMs?: number;
  /** TCP + TLS connect timeout (default 10 s). */
  connectTimeoutMs?: number;
}

/** zod schema for `AdConnectionOptions` (configuration files, wizard input). */
export const adConnectionOptionsSchema = z.object({
  url: z.string().regex(/^ldaps?:\/\//i, 'an ldap:// or ldaps:// URL'),
  bindDn: z.string().min(1),
  password: z.string().min(1),
  tls: z
    .object({
      caFile: z.string().optional(),
      ca: z.string().optional(),
      pinnedSha256: z
        .string()
        .regex(/^([0-9a-f]{2}:?){32}$/i)
        .optional(),
      servername: z.string().optional(),
    })
    .optional(),
  startTls: z.boolean().optional(),
  timeoutMs: z.number().int().positive().optional(),
  connectTimeoutMs: z.number().int().positive().optional(),
});

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Host and port an LDAP URL points at. */
export function targetOf(url: string): AdTarget {
  const u = new URL(url);
  const secure = u.protocol === 'ldaps:';
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : secure ? 636 : 389 };
}

/** A bound connection to one DC. Reads reconnect once by themselves; `close()` when done. */
export interface AdConnection {
  readonly target: AdTarget;
  /** The identity this connection bound as (never the password). */
  readonly boundAs: string;
  search(base: string, options: SearchOptions, controls?: Control[]): Promise<Entry[]>;
  /** Paged search: one array per page, so memory stays bounded by the page size. */
  searchPages(base: string, options: SearchOptions, controls?: Control[]): AsyncGenerator<Entry[]>;
  add(dn: string, attributes: Attribute[] | Record<string, string | string[]>): Promise<void>;
  modify(dn: string, changes: Change[], controls?: Control[]): Promise<void>;
  modifyDn(dn: string, newDn: string): Promise<void>;
  del(dn: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens a connection and binds; throws `AdError` (`ad.unreachable`, `ad.tls_untrusted`,
 * `ad.tls_pin_mismatch`, `ad.bind_refused`, ...).
 *
 * @example
 * const ad = await connectAd({ url: 'ldaps://dc1.corp.example:636', bindDn: 'svc@corp.example',
 *   password, tls: { caFile: '/etc/cloudsync/ad-ca.pem' } });
 * const [root] = await ad.search('', { scope: 'base', attributes: ['defaultNamingContext'] });
 */
export async function connectAd(options: AdConnectionOptions): Promise<AdConnection> {
  const conn = new BoundConnection(options);
  await conn.open();
  return conn;
}

class BoundConnection implements AdConnection {
  readonly target: AdTarget;
  readonly boundAs: string;
  private client: Client | undefined;
  private pinError: AdError | undefined;

  constructor(private readonly options: AdConnectionOptions) {
    this.target = targetOf(options.url);
    this.boundAs = options.bindDn;
  }

  private where(): string {
    return `${this.target.host}:${this.target.port}`;
  }

  private newClient(): Client {
    const tlsOptions = tlsConnectionOptions(this.options.tls);
    const secure = this.options.url.toLowerCase().startsWith('ldaps:');
    const onSecure = (socket: TLSSocket) => {
      socket.once('secureConnect', () => {
        try {
          checkPin(socket, this.options.tls ?? {}, this.where());
        } catch (err) {
          this.pinError = toAdError(err, this.target, 'TLS');
        }
      });
      return socket;
    };
    return new Client({
      url: this.options.url,
      timeout: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      connectTimeout: this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      // ldapts decides "secure" from tlsOptions too, so pass them only for ldaps://.
      tlsOptions: secure ? tlsOptions : undefined,
      createSecureConnection: secureConnect(onSecure),
    });
  }

  async open(): Promise<void> {
    await this.client?.unbind().catch(() => undefined);
    this.pinError = undefined;
    const client = this.newClient();
    try {
      if (this.options.startTls) {
        // The upgrade reuses the socket, so tell TLS which host it is verifying.
        await client.startTLS({ host: this.target.host, ...tlsConnectionOptions(this.options.tls) });
      }
      await client.bind(this.options.bindDn, this.options.password);
    } catch (err) {
      await client.unbind().catch(() => undefined);
      throw this.pinError ?? toAdError(err, this.target, `bind as ${this.options.bindDn}`);
    }
    this.client = client;
  }

  private async bound(): Promise<Client> {
    if (!this.client?.isBound) await this.open();
    if (!this.client) throw new AdError('ad.connection_lost', `no connection to ${this.where()}`);
    return this.client;
  }

  /** Runs a read; when the line dropped, reconnects and tries once more. */
  private async read<T>(what: string, op: (c: Client) => Promise<T>): Promise<T> {
    try {
      return await op(await this.bound());
    } catch (err) {
      const e = toAdError(err, this.target, what);
      if (e.code !== 'ad.connection_lost' && e.code !== 'ad.timeout') throw e;
      await this.open();
      try {
        return await op(await this.bound());
      } catch (again) {
        throw toAdError(again, this.target, what);
      }
    }
  }

  private async write(what: string, op: (c: Client) => Promise<void>): Promise<void> {
    try {
      await op(await this.bound());
    } catch (err) {
      throw toAdError(err, this.target, what);
    }
  }

  search(base: string, options: SearchOptions, controls: Control[] = []): Promise<Entry[]> {
    return this.read(`search ${base || 'rootDSE'}`, async (c) => {
      const res = await c.search(base, options, controls);
      return res.searchEntries;
    });
  }

  async *searchPages(
    base: string,
    options: SearchOptions,
    controls: Control[] = [],
  ): AsyncGenerator<Entry[]> {
    const client = await this.bound();
    const pages = client.searchPaginated(base, { paged: { pageSize: 500 }, ...options }, controls);
    let pending = pages.next();
    try {
      while (true) {
        let next: IteratorResult<{ searchEntries: Entry[] }>;
        try {
          next = await pending;
        } catch (err) {
          throw toAdError(err, this.target, `paged search ${base}`);
        }
        if (next.done) return;
        // Read ahead: the DC prepares the next page while the caller handles this one.
        pending = pages.next();
        pending.catch(() => undefined);
        yield next.value.searchEntries;
      }
    } finally {
      // A caller that stops early: let the page read ahead arrive, then end the search.
      await pending.catch(() => undefined);
      await pages.return(undefined).catch(() => undefined);
    }
  }

  add(dn: string, attributes: Attribute[] | Record<string, string | string[]>): Promise<void> {
    return this.write(`add ${dn}`, (c) => c.add(dn, attributes));
  }

  modify(dn: string, changes: Change[], controls: Control[] = []): Promise<void> {
    return this.write(`modify ${dn}`, (c) => c.modify(dn, changes, controls));
  }

  modifyDn(dn: string, newDn: string): Promise<void> {
    return this.write(`rename ${dn}`, (c) => c.modifyDN(dn, newDn));
  }

  del(dn: string): Promise<void> {
    return this.write(`delete ${dn}`, (c) => c.del(dn));
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    await c?.unbind().catch(() => undefined);
  }
}

/**
 * A `tls.connect` that lets `inspect` see each socket (to check a pinned certificate before the bind
 * is written). ldapts calls it both as (port, host, options) and as (options) for StartTLS.
 */
function secureConnect(inspect: (s: TLSSocket) => TLSSocket): typeof tlsConnect {
  // Forwarding rest arguments to an overloaded function cannot be typed without widening it;
  // the wrapper passes them through unchanged, so the overloads of tls.connect still hold.
  const wrapped = (...args: unknown[]) => inspect((tlsConnect as (...a: unknown[]) => TLSSocket)(...args));
  return wrapped as typeof tlsConnect;
}
