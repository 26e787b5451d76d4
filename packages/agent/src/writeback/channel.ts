import {
  agentPath,
  type WritebackJob,
  type WritebackResult,
  writebackPollResponseSchema,
  writebackResultSchema,
} from '@cloudsync/protocol';
import type { HttpRequest, HttpResponse } from '../uplink/http.js';
import type { TokenSource } from '../uplink/token.js';

/** The two writeback calls of the agent API: long-poll for jobs, post AD's answer. */
export interface WritebackChannel {
  poll(waitSeconds: number, signal?: AbortSignal): Promise<WritebackJob[]>;
  result(result: WritebackResult): Promise<void>;
}

/**
 * The writeback calls over the agent's HTTPS client and token source (the same ones the uplink uses).
 * @example
 *   const channel = createWritebackChannel({ apiBaseUrl, tokens, send: sendHttp });
 *   const jobs = await channel.poll(25);
 */
export function createWritebackChannel(options: {
  apiBaseUrl: string;
  tokens: TokenSource;
  send: (req: HttpRequest) => Promise<HttpResponse>;
  ca?: string;
}): WritebackChannel {
  const origin = options.apiBaseUrl.replace(/\/agent\/v\d+\/?$/, '').replace(/\/+$/, '');
  async function call(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    timeoutMs: number,
    signal?: AbortSignal,
  ) {
    const token = await options.tokens.token(signal);
    const res = await options.send({
      method,
      url: `${origin}${path}`,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(options.ca ? { ca: options.ca } : {}),
      timeoutMs,
      ...(signal ? { signal } : {}),
    });
    if (res.status === 401) options.tokens.invalidate();
    if (res.status >= 400)
      throw new Error(`writeback ${method} ${path} answered ${res.status}: ${res.text.slice(0, 300)}`);
    return res.text ? (JSON.parse(res.text) as unknown) : undefined;
  }
  return {
    async poll(waitSeconds, signal) {
      const body = await call(
        'GET',
        `${agentPath('writebackJobs')}?wait=${waitSeconds}`,
        undefined,
        (waitSeconds + 15) * 1000,
        signal,
      );
      return writebackPollResponseSchema.parse(body).jobs;
    },
    async result(result) {
      await call(
        'POST',
        agentPath('writebackResult', { jobId: result.jobId }),
        writebackResultSchema.parse(result),
        15_000,
      );
    },
  };
}
