// The prompter on its own: hidden secrets edited with backspace and Ctrl-U, Ctrl-C at a hidden
// prompt (raw mode restored), the line fallback when the input is not a terminal, yes/no answers,
// and the unattended answers.
import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { test } from 'node:test';
import { PromptInterruptedError } from './input-reader.js';
import { createPrompter } from './prompts.js';
import { fakeTerminal } from './terminal-fixture.js';

const SECRET = 'Tr0ub4dor&3-ünï';

test('a secret typed at a terminal: raw mode while typed, edits applied, nothing echoed', async () => {
  const t = fakeTerminal({ tty: true });
  const p = createPrompter({ interactive: true, yes: false, input: t.input, output: t.output });
  const read = p.secret('Password of admin');
  t.type(`wrong\u0015${SECRET}x\u007f\r`);
  assert.equal(await read, SECRET);
  assert.deepEqual(t.rawModes, [true, false]);
  assert.equal(t.screen(), 'Password of admin (hidden): \n');
  p.close();
});

test('Ctrl-C at a hidden prompt stops the wizard and leaves raw mode', async () => {
  const t = fakeTerminal({ tty: true });
  const p = createPrompter({ interactive: true, yes: false, input: t.input, output: t.output });
  const read = p.secret('Password');
  t.type('abc\u0003');
  await assert.rejects(read, PromptInterruptedError);
  assert.deepEqual(t.rawModes, [true, false]);
  p.close();
});

test('not a terminal: the secret is the next line, and it is not written back', async () => {
  const t = fakeTerminal({ tty: false });
  const p = createPrompter({ interactive: true, yes: false, input: t.input, output: t.output });
  t.input.write(`${SECRET}\r\nnext\n`);
  assert.equal(await p.secret('Password'), SECRET);
  assert.equal(await p.ask('Name'), 'next');
  assert.ok(!t.screen().includes(SECRET), t.screen());
  p.close();
});

test('yes/no: empty takes the default, anything else is asked again; confirm needs y', async () => {
  const t = fakeTerminal({ tty: true });
  const p = createPrompter({ interactive: true, yes: false, input: t.input, output: t.output });
  t.input.write('\nmaybe\nYES\nn\n\n');
  assert.equal(await p.choose('Hash sync?', false), false);
  assert.equal(await p.choose('Hash sync?', false), true);
  assert.match(t.screen(), /answer y or n/);
  assert.equal(await p.confirm('Proceed?'), false);
  assert.equal(await p.confirm('Proceed?'), false);
  p.close();
});

test('unattended: secrets from piped lines, fallbacks, --yes confirms (and says so), no --yes refuses', async () => {
  const lines: string[] = [];
  const output = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const yes = createPrompter({
    interactive: false,
    yes: true,
    input: Readable.from([`${SECRET}\n`]),
    output,
  });
  assert.equal(await yes.secret('Password'), SECRET);
  assert.equal(await yes.ask('Cloud CA', ''), '');
  assert.equal(await yes.choose('Hash sync?', false), false);
  assert.equal(await yes.confirm('Proceed?'), true);
  await assert.rejects(yes.ask('Cloud URL'), /give it as a flag/);
  await assert.rejects(yes.secret('Another'), /no value given/);
  yes.close();
  const no = createPrompter({ interactive: false, yes: false, input: Readable.from([]), output });
  assert.equal(await no.confirm('Proceed?'), false);
  no.close();
  assert.equal(lines.join(''), 'Proceed? yes (--yes)\n');
});
