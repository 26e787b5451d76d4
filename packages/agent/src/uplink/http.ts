// One HTTP(S) request with node's own client: a CA file can be trusted for the cloud's certificate
// (global fetch cannot take one without an extra dependency), and a timeout bounds every call.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** PEM CA certificates trusted in addition to none (replaces the default store when given). */
  ca?: string;
  /** Whole-request timeout (default 30 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  text: string;
}

/** Sends a request and reads the whole answer; rejects on network errors and timeouts. */
export function sendHttp(req: HttpRequest): Promise<HttpResponse> {
  const url = new URL(req.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const r = send(
      url,
      {
        method: req.method,
        headers: {
          accept: 'application/json',
          ...(req.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(req.body)) }),
          ...req.headers,
        },
        ...(req.ca && url.protocol === 'https:' ? { ca: req.ca } : {}),
        timeout: req.timeoutMs ?? 30_000,
        ...(req.signal ? { signal: req.signal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
    r.on('error', reject);
    r.end(req.body);
  });
}
