import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';

/** Parses HTML form posts in this scope, unless an enclosing scope already does. */
export async function registerFormBody(scope: FastifyInstance): Promise<void> {
  if (!scope.hasContentTypeParser('application/x-www-form-urlencoded')) await scope.register(formbody);
}
