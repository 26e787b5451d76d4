// Self-service password reset the way a person does it in a browser, as plain form posts: register an
// e-mail address as a reset method, then reset with the code mailed to it (read from the lab's sink).
import type { MailSink } from '@cloudsync/cloud/mail-sink';

const RESET = '/password-reset';

interface FormAnswer {
  status: number;
  html: string;
}

async function post(cloudUrl: string, path: string, fields: Record<string, string>): Promise<FormAnswer> {
  const res = await fetch(`${cloudUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, html: await res.text() };
}

/** The page's own words: its alert, else its first paragraph, else its heading. */
export function pageSays(html: string): string {
  const pick = (re: RegExp) =>
    re
      .exec(html)?.[1]
      ?.replace(/<[^>]+>/g, '')
      .trim();
  return (
    pick(/role="alert"[^>]*>([\s\S]*?)<\//) ??
    pick(/<p[^>]*>([\s\S]*?)<\/p>/) ??
    pick(/<h1[^>]*>([\s\S]*?)<\/h1>/) ??
    ''
  );
}

function flowOf(answer: FormAnswer, what: string): string {
  const flow = /name="flow" value="([^"]+)"/.exec(answer.html)?.[1];
  if (answer.status !== 200 || !flow) throw new Error(`${what}: ${answer.status} ${pageSays(answer.html)}`);
  return flow;
}

async function mailedCode(sink: MailSink, address: string, since: number): Promise<string> {
  const mail = await sink.waitFor(address, { since, timeoutMs: 30_000 });
  const code = /code is (\d+)/.exec(mail.text)?.[1];
  if (!code) throw new Error(`the mail to ${address} carries no code`);
  return code;
}

/** Registers `address` as the user's e-mail reset method (signs in with the password, proves the address). */
export async function registerEmailMethod(
  cloudUrl: string,
  sink: MailSink,
  input: { username: string; password: string; address: string },
): Promise<void> {
  const flow = flowOf(
    await post(cloudUrl, `${RESET}/register`, { username: input.username, password: input.password }),
    'registration sign-in',
  );
  const since = sink.messages().length;
  flowOf(
    await post(cloudUrl, `${RESET}/register/email`, { flow, address: input.address }),
    'registering the address',
  );
  const code = await mailedCode(sink, input.address, since);
  const done = await post(cloudUrl, `${RESET}/register/verify`, { flow, code });
  if (done.status !== 200)
    throw new Error(`registration code refused: ${done.status} ${pageSays(done.html)}`);
}

/**
 * Resets the password with a code mailed to `address`.
 * @returns what the last page says (`Your password was reset…`); throws with the page's reason when refused.
 */
export async function resetWithEmailCode(
  cloudUrl: string,
  sink: MailSink,
  input: { username: string; address: string; newPassword: string },
): Promise<string> {
  const flow = flowOf(await post(cloudUrl, RESET, { username: input.username }), 'reset start');
  const since = sink.messages().length;
  flowOf(await post(cloudUrl, `${RESET}/method`, { flow, method: 'email' }), 'asking for the e-mail code');
  const code = await mailedCode(sink, input.address, since);
  flowOf(await post(cloudUrl, `${RESET}/verify`, { flow, code }), 'the e-mailed code');
  const done = await post(cloudUrl, `${RESET}/password`, {
    flow,
    newPassword: input.newPassword,
    confirmPassword: input.newPassword,
  });
  if (done.status !== 200) throw new Error(`the new password was refused: ${pageSays(done.html)}`);
  return pageSays(done.html);
}
