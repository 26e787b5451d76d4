// The TCP side of a DCE/RPC association: connects, cuts the byte stream into PDUs, hands them
// out one at a time with a per-PDU timeout, and turns socket trouble and aborts into DrsrErrors.
import { type Socket, connect as tcpConnect } from 'node:net';
import { DrsrError } from '../errors.js';
import { PduFramer } from './framing.js';

export interface RpcOptions {
  /** Time to wait for any one PDU from the server (default 120 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Largest reassembled response stub accepted (default 256 MiB). */
  maxResponseBytes?: number;
}

export const DEFAULTS = { timeoutMs: 120_000, maxResponseBytes: 256 * 1024 * 1024 };

function netError(host: string, port: number, err: Error & { code?: string }): DrsrError {
  return new DrsrError(
    'drsr.unreachable',
    `cannot reach the DC at ${host}:${port} (${err.code ?? err.message}); check the address, that the DC is up ` +
      'and that TCP 135 and the dynamic RPC ports (49152–65535) are open from this server',
    { cause: err },
  );
}

export class PduTransport {
  private readonly framer = new PduFramer();
  private readonly queue: Buffer[] = [];
  private waiter: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  private readonly timeoutMs: number;
  private readonly onAbort = (): void =>
    this.fail(new DrsrError('drsr.aborted', 'replication was cancelled'));

  private constructor(
    private readonly socket: Socket,
    readonly host: string,
    readonly port: number,
    private readonly signal: AbortSignal | undefined,
    timeoutMs: number | undefined,
  ) {
    this.timeoutMs = timeoutMs ?? DEFAULTS.timeoutMs;
    socket.on('data', (chunk: Buffer) => {
      try {
        this.queue.push(...this.framer.push(chunk));
        this.wake();
      } catch (e) {
        this.fail(e instanceof Error ? e : new Error(String(e)));
      }
    });
    socket.on('error', (e) => this.fail(netError(host, port, e)));
    socket.on('close', () =>
      this.fail(new DrsrError('drsr.unreachable', `the DC at ${host}:${port} closed the RPC connection`)),
    );
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Opens a TCP connection to `host:port`. */
  static connect(host: string, port: number, opts: RpcOptions = {}): Promise<PduTransport> {
    return new Promise((resolve, reject) => {
      if (opts.signal?.aborted) {
        reject(new DrsrError('drsr.aborted', 'replication was cancelled'));
        return;
      }
      const socket = tcpConnect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new DrsrError('drsr.unreachable', `timed out connecting to the DC at ${host}:${port}`));
      }, opts.timeoutMs ?? DEFAULTS.timeoutMs);
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(netError(host, port, e));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        resolve(new PduTransport(socket, host, port, opts.signal, opts.timeoutMs));
      });
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.resolve();
  }

  private fail(e: Error): void {
    if (!this.failure) this.failure = e;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(this.failure);
    this.socket.destroy();
  }

  /** The next whole PDU from the peer. */
  async next(): Promise<Buffer> {
    for (;;) {
      const pdu = this.queue.shift();
      if (pdu) return pdu;
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.waiter = undefined;
          reject(new DrsrError('drsr.timeout', `the DC at ${this.host}:${this.port} did not answer in time`));
        }, this.timeoutMs);
        this.waiter = {
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        };
      });
    }
  }

  write(pdu: Buffer): void {
    if (this.failure) throw this.failure;
    this.socket.write(pdu);
  }

  close(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
    this.failure ??= new DrsrError('drsr.unreachable', 'the RPC connection was closed');
    this.socket.destroy();
  }
}
