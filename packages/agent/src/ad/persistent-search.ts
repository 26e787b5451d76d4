// A connection that holds persistent searches open. ldapts collects a search's entries until the
// search completes, which a notification search never does, so this speaks the few LDAP messages
// it needs itself (with ldapts's message classes and parser): bind, StartTLS, search, unbind.
import { EventEmitter } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import {
  BindRequest,
  BindResponse,
  ExtendedRequest,
  ExtendedResponse,
  FilterParser,
  MessageParser,
  SearchEntry,
  SearchRequest,
  SearchResponse,
  StatusCodeParser,
  UnbindRequest,
} from 'ldapts';
import { type AdConnectionOptions, targetOf } from './connection.js';
import { NotificationControl } from './controls.js';
import { AdError, toAdError } from './errors.js';
import { checkPin, tlsConnectionOptions } from './tls.js';

/** One watched subtree or container. */
export interface WatchedSearch {
  base: string;
  scope: 'base' | 'one' | 'sub';
}

/** Events: `entry` (index of the search), `refused` (index, AdError), `closed` (reason). */
export interface PersistentSearchEvents {
  entry: [index: number];
  refused: [index: number, error: AdError];
  closed: [error: AdError | undefined];
}

const STARTTLS_OID = '1.3.6.1.4.1.1466.20037';

type LdapRequest = BindRequest | ExtendedRequest | SearchRequest;
type LdapResponse = BindResponse | ExtendedResponse | SearchEntry | SearchResponse;

/** The responses this connection understands (ldapts does not export their base class). */
function asResponse(m: object): LdapResponse | undefined {
  if (m instanceof BindResponse || m instanceof ExtendedResponse) return m;
  if (m instanceof SearchEntry || m instanceof SearchResponse) return m;
  return undefined;
}

/** A bound connection carrying notification searches (LDAP_SERVER_NOTIFICATION_OID). */
export class PersistentSearchConnection extends EventEmitter<PersistentSearchEvents> {
  private socket: Socket | TLSSocket | undefined;
  private parser = new MessageParser();
  private readonly pending = new Map<string, { message: LdapRequest; resolve: (m: LdapResponse) => void }>();
  private readonly searches = new Map<number, number>();
  private nextId = 1;
  private ended = false;

  private constructor(private readonly options: AdConnectionOptions) {
    super();
  }

  /** Connects, binds and starts one notification search per entry of `searches`. */
  static async open(options: AdConnectionOptions, searches: readonly WatchedSearch[]) {
    const conn = new PersistentSearchConnection(options);
    try {
      await conn.connect();
      await conn.bind();
    } catch (err) {
      conn.destroy();
      throw toAdError(err, targetOf(options.url), `bind as ${options.bindDn} for change notification`);
    }
    searches.forEach((s, i) => {
      conn.startSearch(s, i);
    });
    return conn;
  }

  private where(): string {
    const t = targetOf(this.options.url);
    return `${t.host}:${t.port}`;
  }

  private attach(socket: Socket | TLSSocket): void {
    this.socket = socket;
    this.parser = new MessageParser();
    this.parser.on('message', (m: object) => {
      const res = asResponse(m);
      if (res) this.onMessage(res);
    });
    this.parser.on('error', (err) =>
      this.fail(new AdError('ad.protocol', `bad LDAP message: ${err.message}`)),
    );
    socket.on('data', (d: Buffer) => this.parser.read(d, this.pending));
    socket.on('error', (err) => this.fail(toAdError(err, targetOf(this.options.url), 'change notification')));
    socket.on('close', () =>
      this.fail(
        new AdError('ad.connection_lost', `the DC at ${this.where()} closed the notification connection`),
      ),
    );
    // Half-open connections (DC powered off) are found by TCP keepalive.
    socket.setKeepAlive(true, 30_000);
  }

  private async connect(): Promise<void> {
    const { host, port } = targetOf(this.options.url);
    const tlsOpts = tlsConnectionOptions(this.options.tls);
    const timeout = this.options.connectTimeoutMs ?? 10_000;
    if (this.options.url.toLowerCase().startsWith('ldaps:')) {
      const s = tlsConnect({ ...tlsOpts, host, port });
      await this.handshake(s, 'secureConnect', timeout);
      checkPin(s, this.options.tls ?? {}, this.where());
      this.attach(s);
      return;
    }
    const plain = netConnect({ host, port });
    await this.handshake(plain, 'connect', timeout);
    this.attach(plain);
    if (!this.options.startTls) {
      throw new AdError(
        'ad.protocol',
        'change notification needs ldaps:// or startTls: passwords never travel in clear',
      );
    }
    const res = await this.request(new ExtendedRequest({ messageId: this.id(), oid: STARTTLS_OID }));
    if (!(res instanceof ExtendedResponse) || res.status !== 0) throw StatusCodeParser.parse(res);
    plain.removeAllListeners('data').removeAllListeners('close').removeAllListeners('error');
    const secure = tlsConnect({ ...tlsOpts, host, socket: plain });
    await this.handshake(secure, 'secureConnect', timeout);
    checkPin(secure, this.options.tls ?? {}, this.where());
    this.attach(secure);
  }

  private handshake(s: Socket, event: 'connect' | 'secureConnect', timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        s.destroy();
        reject(Object.assign(new Error('Connection timeout'), { code: 'ETIMEDOUT' }));
      }, timeoutMs);
      s.once(event, () => {
        clearTimeout(timer);
        s.removeListener('error', reject);
        resolve();
      });
      s.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  private id(): number {
    this.nextId = (this.nextId % 0x7ffffffe) + 1;
    return this.nextId;
  }

  private request(message: LdapRequest): Promise<LdapResponse> {
    return new Promise((resolve, reject) => {
      const socket = this.socket;
      const key = String(message.messageId);
      if (!socket) {
        reject(new AdError('ad.connection_lost', 'not connected'));
        return;
      }
      const onClose = () => {
        this.pending.delete(key);
        reject(new AdError('ad.connection_lost', `the DC at ${this.where()} closed the connection`));
      };
      socket.once('close', onClose);
      this.pending.set(key, {
        message,
        resolve: (m) => {
          socket.removeListener('close', onClose);
          resolve(m);
        },
      });
      socket.write(message.write());
    });
  }

  private async bind(): Promise<void> {
    const res = await this.request(
      new BindRequest({ messageId: this.id(), dn: this.options.bindDn, password: this.options.password }),
    );
    if (!(res instanceof BindResponse) || res.status !== 0) throw StatusCodeParser.parse(res);
  }

  private startSearch(search: WatchedSearch, index: number): void {
    const message = new SearchRequest({
      messageId: this.id(),
      baseDN: search.base,
      scope: search.scope,
      filter: FilterParser.parseString('(objectClass=*)'),
      attributes: ['objectGUID'],
      timeLimit: 0,
      sizeLimit: 0,
      controls: [new NotificationControl()],
    });
    this.searches.set(message.messageId, index);
    this.pending.set(String(message.messageId), { message, resolve: () => undefined });
    this.socket?.write(message.write());
  }

  private onMessage(m: LdapResponse): void {
    const index = this.searches.get(m.messageId);
    if (index !== undefined) {
      if (m instanceof SearchEntry) this.emit('entry', index);
      else if (m instanceof SearchResponse) {
        // A notification search only ends when the DC refuses or abandons it.
        this.searches.delete(m.messageId);
        this.pending.delete(String(m.messageId));
        this.emit(
          'refused',
          index,
          toAdError(StatusCodeParser.parse(m), targetOf(this.options.url), 'notification'),
        );
      }
      return;
    }
    const waiting = this.pending.get(String(m.messageId));
    if (waiting) {
      this.pending.delete(String(m.messageId));
      waiting.resolve(m);
    }
  }

  private fail(error: AdError | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.socket?.destroy();
    this.emit('closed', error);
  }

  private destroy(): void {
    this.ended = true;
    this.socket?.destroy();
  }

  /** Unbinds and closes; emits `closed` with no error. */
  close(): void {
    if (this.ended) return;
    try {
      this.socket?.write(new UnbindRequest({ messageId: this.id() }).write());
    } catch {
      // already gone
    }
    this.socket?.end();
    this.fail(undefined);
  }
}
