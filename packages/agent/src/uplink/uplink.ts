// The agent's authenticated client to the cloud. Every call is parsed with the protocol's schema on
// the way out and on the way back; retryable failures (network, 5xx, retryable codes) are retried
// with exponential backoff and jitter, for as long as the caller's policy says (pages: forever).

import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  type AgentJobPollResponse,
  type AgentJobResult,
  agentJobPollResponseSchema,
  agentJobResultSchema,
  agentPath,
  type ChangeSetPage,
  type ConfigurationList,
  type CycleAcknowledgement,
  type CycleEnd,
  type CycleLeaseRequest,
  type CycleLeaseResponse,
  changeSetPageSchema,
  configurationListSchema,
  cycleAcknowledgementSchema,
  cycleEndSchema,
  cycleLeaseRequestSchema,
  cycleLeaseResponseSchema,
  errorBody,
  type HashEnvelopeBatch,
  type HashEnvelopeBatchAcknowledgement,
  type HeartbeatRequest,
  type HeartbeatResponse,
  hashEnvelopeBatchAcknowledgementSchema,
  hashEnvelopeBatchSchema,
  heartbeatRequestSchema,
  heartbeatResponseSchema,
  type PageAcknowledgement,
  pageAcknowledgementSchema,
} from '@cloudsync/protocol';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { backoffDelay, sleep } from './backoff.js';
import { fromResponse, UplinkError, unreachable } from './errors.js';
import { type HttpRequest, type HttpResponse, sendHttp } from './http.js';
import { createTokenSource, type TokenSourceOptions } from './token.js';

/** How long to keep retrying a call. */
export interface RetryPolicy {
  /** Attempts before giving up (default Infinity: keep trying until the signal aborts). */
  maxAttempts?: number;
  initialMs?: number;
  maxMs?: number;
}

export interface UplinkOptions {
  agentId: string;
  clientId: string;
  tokenEndpoint: string;
  /** Base of `/agent/v1`, as registration returned it (`…/agent/v1`). */
  apiBaseUrl: string;
  privateKey: KeyObject;
  /** PEM file trusted for the cloud's certificate. */
  caFile?: string;
  log?: Logger;
  retry?: RetryPolicy;
  /** Aborting stops every retry loop (SIGTERM). */
  signal?: AbortSignal;
  /** Replaces the HTTP client (tests cut the line with it). */
  send?: (req: HttpRequest) => Promise<HttpResponse>;
  /** The clock tokens expire by (tests move it). */
  now?: () => Date;
  /** Reads the agent's key again when the token endpoint refuses it (see `TokenSourceOptions`). */
  reloadKey?: TokenSourceOptions['reloadKey'];
}

/** The agent API, typed by the protocol. */
export interface Uplink {
  heartbeat(body: HeartbeatRequest): Promise<HeartbeatResponse>;
  configurations(): Promise<ConfigurationList>;
  acquireLease(configurationId: string, body: CycleLeaseRequest): Promise<CycleLeaseResponse>;
  releaseLease(configurationId: string, cycleId: string): Promise<void>;
  sendPage(page: ChangeSetPage): Promise<PageAcknowledgement>;
  endCycle(end: CycleEnd): Promise<CycleAcknowledgement>;
  sendHashes(batch: HashEnvelopeBatch): Promise<HashEnvelopeBatchAcknowledgement>;
  pollJobs(waitSeconds: number): Promise<AgentJobPollResponse>;
  jobResult(result: AgentJobResult): Promise<void>;
}

const RETRIED_CODES: ReadonlySet<string> = new Set(['CLOUD_UNREACHABLE', 'RATE_LIMITED', 'INTERNAL']);

/** The agent API's origin, from `apiBaseUrl` (which ends with `/agent/v1`). */
function originOf(apiBaseUrl: string): string {
  return apiBaseUrl.replace(/\/agent\/v\d+\/?$/, '').replace(/\/+$/, '');
}

/**
 * Builds the uplink.
 * @example
 *   const uplink = createUplink({ ...identity, privateKey, log });
 *   const { configurations } = await uplink.configurations();
 */
export function createUplink(options: UplinkOptions): Uplink {
  const ca = options.caFile ? readFileSync(options.caFile, 'utf8') : undefined;
  const send = options.send ?? ((req: HttpRequest) => sendHttp({ ...req, ...(ca ? { ca } : {}) }));
  const tokens = createTokenSource({
    clientId: options.clientId,
    tokenEndpoint: options.tokenEndpoint,
    privateKey: options.privateKey,
    send,
    ...(options.now ? { now: options.now } : {}),
    ...(options.reloadKey ? { reloadKey: options.reloadKey } : {}),
  });
  const origin = originOf(options.apiBaseUrl);

  /** One attempt: bearer token, JSON in, JSON out; a 401 renews the token once. */
  async function once(method: HttpRequest['method'], path: string, body: unknown): Promise<HttpResponse> {
    for (let auth = 0; ; auth++) {
      const token = await tokens.token(options.signal);
      let res: HttpResponse;
      try {
        res = await send({
          method,
          url: `${origin}${path}`,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          timeoutMs: path.includes('wait=') ? 90_000 : 60_000,
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } catch (err) {
        if (options.signal?.aborted) throw err;
        throw unreachable(`${method} ${path}`, err);
      }
      if (res.status === 401 && auth === 0) {
        // Expired or no longer valid (the cloud rotated its signing keys, or the agent was repaired).
        options.log?.info({ path }, 'the cloud refused the access token (HTTP 401): renewing it');
        tokens.invalidate();
        continue;
      }
      if (res.status >= 200 && res.status < 300) return res;
      throw fromResponse(`${method} ${path}`, res.status, res.text);
    }
  }

  /** Retries `once` on retryable errors with backoff and jitter. */
  async function call<T>(
    method: HttpRequest['method'],
    path: string,
    body: unknown,
    answer: z.ZodType<T> | undefined,
    policy: RetryPolicy = {},
  ): Promise<T | undefined> {
    const max = policy.maxAttempts ?? options.retry?.maxAttempts ?? Number.POSITIVE_INFINITY;
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await once(method, path, body);
        if (!answer) return undefined;
        const parsed = answer.safeParse(res.text ? JSON.parse(res.text) : undefined);
        if (parsed.success) return parsed.data;
        throw new UplinkError(
          errorBody('VALIDATION_FAILED', {
            message: `The cloud's answer to ${method} ${path} does not match the protocol: ${parsed.error.issues[0]?.message ?? ''}`,
          }),
          res.status,
        );
      } catch (err) {
        // Only transport-level failures are retried here; other retryable codes (a stale
        // configuration, a sequence gap) need the caller to act first.
        const retryable = err instanceof UplinkError && RETRIED_CODES.has(err.code);
        if (!retryable || attempt + 1 >= max || options.signal?.aborted) throw err;
        const delay = backoffDelay(attempt, {
          initialMs: policy.initialMs ?? options.retry?.initialMs,
          maxMs: policy.maxMs ?? options.retry?.maxMs,
        });
        options.log?.warn(
          { code: err.code, path, attempt: attempt + 1, delayMs: delay },
          'cloud call failed; retrying',
        );
        await sleep(delay, options.signal);
      }
    }
  }

  async function required<T>(
    method: HttpRequest['method'],
    path: string,
    body: unknown,
    answer: z.ZodType<T>,
    policy?: RetryPolicy,
  ): Promise<T> {
    const result = await call(method, path, body, answer, policy);
    if (result === undefined) throw new Error(`no answer to ${method} ${path}`);
    return result;
  }

  const short: RetryPolicy = { maxAttempts: 3 };
  return {
    heartbeat: (body) =>
      required(
        'POST',
        agentPath('heartbeat', { agentId: options.agentId }),
        heartbeatRequestSchema.parse(body),
        heartbeatResponseSchema,
        short,
      ),
    configurations: () =>
      required('GET', agentPath('configurations'), undefined, configurationListSchema, short),
    acquireLease: (configurationId, body) =>
      required(
        'POST',
        agentPath('cycleLease', { configurationId }),
        cycleLeaseRequestSchema.parse(body),
        cycleLeaseResponseSchema,
      ),
    async releaseLease(configurationId, cycleId) {
      await call(
        'DELETE',
        `${agentPath('cycleLease', { configurationId })}?cycleId=${encodeURIComponent(cycleId)}`,
        undefined,
        undefined,
        short,
      );
    },
    sendPage: (page) =>
      required(
        'POST',
        agentPath('cyclePage', { cycleId: page.cycleId }),
        changeSetPageSchema.parse(page),
        pageAcknowledgementSchema,
      ),
    endCycle: (end) =>
      required(
        'POST',
        agentPath('cycleEnd', { cycleId: end.cycleId }),
        cycleEndSchema.parse(end),
        cycleAcknowledgementSchema,
      ),
    sendHashes: (batch) =>
      required(
        'POST',
        agentPath('passwordHashes'),
        hashEnvelopeBatchSchema.parse(batch),
        hashEnvelopeBatchAcknowledgementSchema,
      ),
    pollJobs: (waitSeconds) =>
      required(
        'GET',
        `${agentPath('jobs')}?wait=${waitSeconds}`,
        undefined,
        agentJobPollResponseSchema,
        short,
      ),
    async jobResult(result) {
      await call(
        'POST',
        agentPath('jobResult', { jobId: result.jobId }),
        agentJobResultSchema.parse(result),
        undefined,
        short,
      );
    },
  };
}
