import type { FastifyError, FastifyInstance } from 'fastify';
import { CloudError, type GraphErrorBody, toGraphError } from '../errors.js';
import { ODataError } from './odata/index.js';

function body(code: string, message: string, requestId: string): GraphErrorBody {
  const date = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { error: { code, message, innerError: { date, 'request-id': requestId } } };
}

function isFastifyError(err: unknown): err is FastifyError {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('FST_');
}

/**
 * Graph-shaped errors for everything the API can throw: directory rules (CloudError), query options
 * (ODataError), unreadable requests (Fastify's parser errors); anything else is a logged 500 that
 * reveals nothing.
 */
export function installGraphErrors(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    if (err instanceof ODataError) {
      return reply.code(400).send(body(err.code, err.message, request.id));
    }
    if (err instanceof CloudError) {
      if (!err.expose) request.log.error({ err }, 'request failed');
      const { status, body: graph } = toGraphError(err, request.id, new Date());
      return reply.code(status).send(graph);
    }
    if (isFastifyError(err) && (err.statusCode ?? 500) < 500) {
      const status = err.statusCode ?? 400;
      const message =
        err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
          ? 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'
          : err.message;
      return reply
        .code(status)
        .send(body(status === 413 ? 'Request_EntityTooLarge' : 'BadRequest', message, request.id));
    }
    request.log.error({ err }, 'request failed');
    const { status, body: graph } = toGraphError(err, request.id, new Date());
    return reply.code(status).send(graph);
  });
  app.setNotFoundHandler((request, reply) => {
    const segment = request.url.split('?')[0] ?? '';
    reply
      .code(404)
      .send(body('Request_ResourceNotFound', `Resource not found for the segment '${segment}'.`, request.id));
  });
}
