// Interactive prompts (node:readline) and the unattended equivalents: answers given as flags, secrets
// read from stdin one per line, confirmations answered by `--yes`.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** Asks questions and reads secrets, interactively or not. */
export interface Prompter {
  ask(question: string, fallback?: string): Promise<string>;
  secret(question: string): Promise<string>;
  confirm(question: string): Promise<boolean>;
  print(line: string): void;
  close(): void;
}

/** Reads stdin lines one at a time (secrets piped for unattended installs). */
function lineReader(input: Readable) {
  const rl = createInterface({ input, terminal: false });
  const lines: string[] = [];
  const waiters: ((line: string | undefined) => void)[] = [];
  let ended = false;
  rl.on('line', (line) => {
    const w = waiters.shift();
    if (w) w(line);
    else lines.push(line);
  });
  rl.on('close', () => {
    ended = true;
    for (const w of waiters.splice(0)) w(undefined);
  });
  return {
    next(): Promise<string | undefined> {
      const line = lines.shift();
      if (line !== undefined || ended) return Promise.resolve(line);
      return new Promise((resolve) => waiters.push(resolve));
    },
    close: () => rl.close(),
  };
}

/**
 * A prompter. With `interactive`, questions go to `output` and answers come from `input`, and
 * secrets are not echoed. Otherwise `ask` returns the fallback (or fails), `secret` reads the next
 * stdin line, and `confirm` answers `yes`.
 */
export function createPrompter(options: {
  interactive: boolean;
  yes: boolean;
  input?: Readable;
  output?: Writable;
}): Prompter {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const reader = lineReader(input);
  const print = (line: string) => output.write(`${line}\n`);
  return {
    print,
    async ask(question, fallback) {
      if (!options.interactive) {
        if (fallback === undefined) throw new Error(`missing answer for "${question}": give it as a flag`);
        return fallback;
      }
      output.write(`${question}${fallback ? ` [${fallback}]` : ''}: `);
      const answer = (await reader.next())?.trim();
      return answer || fallback || '';
    },
    async secret(question) {
      if (options.interactive)
        output.write(`${question} (input hidden is not supported; it is not echoed to logs): `);
      const line = await reader.next();
      if (line === undefined || line === '') throw new Error(`no value on stdin for: ${question}`);
      return line;
    },
    async confirm(question) {
      if (options.yes || !options.interactive) return options.yes;
      output.write(`${question} [y/N]: `);
      const answer = (await reader.next())?.trim().toLowerCase();
      return answer === 'y' || answer === 'yes';
    },
    close: () => reader.close(),
  };
}
