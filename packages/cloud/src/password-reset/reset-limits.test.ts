// The limits of self-service reset over real HTTP (a whole cloud on SQLite, e-mail to a local SMTP
// sink): tries per flow whatever method is chosen again, code e-mails per user, a TOTP code used
// once, and the per-user cap on wrong codes a day. The stores behind them run on SQLite and
// PostgreSQL in stores-contract.ts. Adapted from the audit probe of issue 5.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { generate } from 'otplib';
import { type ResetCloud, startResetCloud } from '../../../../tests/e2e/password-reset/cloud-fixture.js';
import { MAX_CODE_ATTEMPTS, MAX_RESET_CHALLENGES } from './flows.js';
import { MAIL_WINDOW_MS, MAX_REGISTRATION_MAILS } from './registration.js';
import { MAX_WRONG_CODES_PER_DAY, WRONG_CODE_WINDOW_MS } from './routes.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
let rc: ResetCloud;

before(async () => {
  rc = await startResetCloud();
  await rc.cloud.passwordReset.policies.update({ enabledFor: 'all', methods: ['email', 'authenticatorApp'] });
});
after(() => rc?.close());
// A fresh minute for the sign-in guard's per-address limit (every request comes from 127.0.0.1).
beforeEach(() => rc.advance(61_000));

async function post(path: string, body: Record<string, string>) {
  const res = await fetch(`${rc.url}/password-reset${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body),
  });
  const html = await res.text();
  const text = html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { status: res.status, html, text, retryAfter: res.headers.get('retry-after') };
}

async function userWithMethods(local: string) {
  const user = await rc.addUser(local);
  const address = `${local}-${user.id.slice(0, 6)}@example.org`;
  await rc.cloud.passwordReset.methods.set(user.id, { kind: 'authenticatorApp', value: SECRET });
  await rc.cloud.passwordReset.methods.set(user.id, { kind: 'email', value: address });
  return { ...user, address };
}

async function startFlow(upn: string): Promise<string> {
  const start = await post('', { username: upn });
  assert.equal(start.status, 200, start.text);
  const flow = /name="flow" value="([^"]+)"/.exec(start.html)?.[1];
  assert.ok(flow);
  return flow;
}

/** A code the app shows `stepsAhead` steps from now (the cloud accepts one step either side). */
const appCode = (stepsAhead = 0) =>
  generate({ secret: SECRET, epoch: Math.floor(Date.now() / 1000) + 30 * stepsAhead });

test('choosing the method again does not give more tries, and a flow asks for 3 codes at most', async () => {
  const u = await userWithMethods('probe');
  const flow = await startFlow(u.upn);
  // The audit probe: six rounds of "choose the authenticator, guess five codes".
  let wrong = 0;
  let refused = 0;
  for (let round = 0; round < 6; round++) {
    await post('/method', { flow, method: 'authenticatorApp' });
    for (let i = 0; i < 5; i++) {
      const r = await post('/verify', { flow, code: String(100000 + round * 10 + i) });
      if (r.status === 401) wrong++;
      else refused++;
    }
  }
  assert.equal(wrong, MAX_CODE_ATTEMPTS, 'five guesses in the flow, not thirty');
  assert.equal(refused, 30 - MAX_CODE_ATTEMPTS);

  // After five wrong codes, choosing the method again leaves nothing to try with (another user:
  // this one has half its wrong codes of the day behind it).
  const v = await userWithMethods('probe2');
  const again = await startFlow(v.upn);
  await post('/method', { flow: again, method: 'authenticatorApp' });
  for (let i = 0; i < MAX_CODE_ATTEMPTS; i++)
    assert.equal((await post('/verify', { flow: again, code: '000000' })).status, 401);
  assert.equal((await post('/method', { flow: again, method: 'authenticatorApp' })).status, 200);
  const spent = await post('/verify', { flow: again, code: await appCode() });
  assert.equal(spent.status, 400);
  assert.match(spent.text, /Too many wrong codes\. Start again to get a new code\./);

  // Twelve e-mail requests in one flow: three codes are sent, then the flow ends.
  const before = rc.sink.messages().length;
  const mails = await startFlow(u.upn);
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++)
    statuses.push((await post('/method', { flow: mails, method: 'email' })).status);
  assert.deepEqual(statuses.slice(0, MAX_RESET_CHALLENGES + 1), [200, 200, 200, 429]);
  assert.ok(
    statuses.slice(MAX_RESET_CHALLENGES + 1).every((s) => s === 400),
    'the flow is over',
  );
  await rc.sink.waitFor(u.address, { since: before });
  await waitForMails(before, MAX_RESET_CHALLENGES);
  assert.equal(rc.sink.messages().length - before, MAX_RESET_CHALLENGES);
});

async function waitForMails(before: number, count: number) {
  const deadline = Date.now() + 10_000;
  while (rc.sink.messages().length - before < count && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
}

test('the sixth code e-mail in 15 minutes is refused, whichever flow asks; later it is sent', async () => {
  const u = await userWithMethods('mailer');
  const before = rc.sink.messages().length;
  const first = await startFlow(u.upn);
  for (let i = 0; i < MAX_RESET_CHALLENGES; i++)
    assert.equal((await post('/method', { flow: first, method: 'email' })).status, 200);
  const second = await startFlow(u.upn);
  for (let i = MAX_RESET_CHALLENGES; i < MAX_REGISTRATION_MAILS; i++)
    assert.equal((await post('/method', { flow: second, method: 'email' })).status, 200);
  const sixth = await post('/method', { flow: second, method: 'email' });
  assert.equal(sixth.status, 429);
  assert.equal(sixth.retryAfter, String(MAIL_WINDOW_MS / 1000));
  assert.match(
    sixth.text,
    /Too many codes were sent to your e-mail address: use another method, or wait\. Try again in 15 minutes\./,
  );
  await waitForMails(before, MAX_REGISTRATION_MAILS);
  assert.equal(rc.sink.messages().length - before, MAX_REGISTRATION_MAILS, 'no sixth e-mail');
  // The authenticator is still there to use meanwhile.
  const app = await startFlow(u.upn);
  assert.equal((await post('/method', { flow: app, method: 'authenticatorApp' })).status, 200);

  rc.advance(MAIL_WINDOW_MS);
  const later = await startFlow(u.upn);
  assert.equal((await post('/method', { flow: later, method: 'email' })).status, 200);
  await rc.sink.waitFor(u.address, { since: before + MAX_REGISTRATION_MAILS });
});

test('an authenticator code is accepted once: the same code in another flow is refused', async () => {
  const u = await userWithMethods('replay');
  const code = await appCode();
  const first = await startFlow(u.upn);
  await post('/method', { flow: first, method: 'authenticatorApp' });
  const ok = await post('/verify', { flow: first, code });
  assert.equal(ok.status, 200, ok.text);
  assert.match(ok.html, /name="newPassword"/);

  const second = await startFlow(u.upn);
  await post('/method', { flow: second, method: 'authenticatorApp' });
  const reused = await post('/verify', { flow: second, code });
  assert.equal(reused.status, 401);
  assert.match(reused.text, /That code was already used\. Wait for the next code your app shows\./);
  // The next step's code (as the app shows it half a minute later) is accepted.
  const next = await post('/verify', { flow: second, code: await appCode(1) });
  assert.equal(next.status, 200, next.text);
});

test('past the cap of wrong codes a day, even a right code is refused until the day is over', async () => {
  const u = await userWithMethods('capped');
  let typed = 0;
  while (typed < MAX_WRONG_CODES_PER_DAY) {
    const flow = await startFlow(u.upn);
    await post('/method', { flow, method: 'authenticatorApp' });
    for (let i = 0; i < MAX_CODE_ATTEMPTS && typed < MAX_WRONG_CODES_PER_DAY; i++, typed++)
      assert.equal((await post('/verify', { flow, code: '000000' })).status, 401);
    rc.advance(61_000);
  }
  const flow = await startFlow(u.upn);
  await post('/method', { flow, method: 'authenticatorApp' });
  const right = await post('/verify', { flow, code: await appCode() });
  assert.equal(right.status, 429);
  assert.match(
    right.text,
    /Too many wrong codes were typed for this account today, so no code is accepted now\. Try again in (23|24) hours\./,
  );
  assert.ok(Number(right.retryAfter) > 0);

  rc.advance(WRONG_CODE_WINDOW_MS);
  const tomorrow = await startFlow(u.upn);
  await post('/method', { flow: tomorrow, method: 'authenticatorApp' });
  const accepted = await post('/verify', { flow: tomorrow, code: await appCode() });
  assert.equal(accepted.status, 200, accepted.text);
});
