import type { FastifyReply, FastifyRequest } from 'fastify';
import { PAGE_HEADERS, html as safe } from '../sign-in/pages/layout.js';
import { renderMessagePage } from '../sign-in/pages/message-page.js';
import { RESET_PATH } from './pages.js';

/** A form post of the reset pages: every field optional text. */
type Form = Record<string, string | undefined>;
export type FormRequest = FastifyRequest<{ Body: Form }>;

const field = { type: 'string', maxLength: 1024 } as const;
/** The fields the reset pages post, each at most 1,024 characters. */
export const formBody = {
  type: 'object',
  properties: Object.fromEntries(
    [
      'username',
      'password',
      'flow',
      'method',
      'code',
      'newPassword',
      'confirmPassword',
      'currentPassword',
      'address',
    ].map((k) => [k, field]),
  ),
} as const;

/** Sends a page with the sign-in pages' headers (CSP, no framing, no caching). */
export const page = (reply: FastifyReply, status: number, body: string) =>
  reply.code(status).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(body);
/** A message page with a link to start again. */
export const message = (reply: FastifyReply, status: number, title: string, text: string) =>
  page(reply, status, renderMessagePage(title, text, safe`<p><a href="${RESET_PATH}">Start again</a></p>`));
export const expired = (reply: FastifyReply) =>
  message(reply, 400, 'Reset expired', 'This page has expired. Start again.');
