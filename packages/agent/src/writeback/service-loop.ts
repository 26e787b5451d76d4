import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { AgentRuntime } from '../service/agent-runtime.js';
import { loadKey } from '../state/identity.js';
import { type HttpRequest, type HttpResponse, sendHttp } from '../uplink/http.js';
import { createTokenSource } from '../uplink/token.js';
import { createWritebackChannel } from './channel.js';
import { createWritebackWorker } from './worker.js';

/**
 * The agent service's writeback loop: long-polls for password jobs until `signal` aborts. The cloud
 * queues jobs only for configurations with writeback on, so an idle loop costs one open request.
 * @example
 *   await Promise.all([heartbeatLoop(...), runWritebackLoop(rt, { stateDir, log, signal })]);
 */
export async function runWritebackLoop(
  rt: AgentRuntime,
  options: {
    stateDir: string;
    log: Logger;
    signal: AbortSignal;
    send?: (req: HttpRequest) => Promise<HttpResponse>;
  },
): Promise<void> {
  const key = await loadKey(options.stateDir);
  if (!key) return;
  const { identity } = rt;
  const base = options.send ?? sendHttp;
  const ca = identity.cloudCaFile ? await readFile(identity.cloudCaFile, 'utf8') : undefined;
  const send = (req: HttpRequest) => base(ca ? { ...req, ca } : req);
  const tokens = createTokenSource({
    clientId: identity.clientId,
    tokenEndpoint: identity.tokenEndpoint,
    privateKey: key.privateKey,
    send,
    reloadKey: rt.reloadKey,
  });
  const channel = createWritebackChannel({ apiBaseUrl: identity.apiBaseUrl, tokens, send });
  const worker = createWritebackWorker({
    channel,
    connectAd: rt.cycleDeps.connectAd,
    privateKey: key.privateKey,
    reloadKey: async () => (await rt.reloadKey())?.privateKey,
    log: options.log.child({ part: 'writeback' }),
  });
  await worker.run(options.signal);
}
