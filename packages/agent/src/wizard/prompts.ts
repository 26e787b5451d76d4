// Interactive prompts and their unattended equivalents: answers given as flags, secrets read from
// stdin one per line, confirmations answered by `--yes`. A secret typed on a terminal is read with the
// terminal in raw mode, so it is never echoed; from a pipe it is read as a line, and never written.
import type { Readable, Writable } from 'node:stream';
import { createInputReader } from './input-reader.js';

/** Asks questions and reads secrets, interactively or not. */
export interface Prompter {
  /** A free answer; the fallback when empty or not interactive (fails without one then). */
  ask(question: string, fallback?: string): Promise<string>;
  /** A yes/no choice `--yes` does not answer: the fallback when not interactive. */
  choose(question: string, fallback: boolean): Promise<boolean>;
  /** A password: never echoed, never printed. */
  secret(question: string): Promise<string>;
  /** "Go on?": `--yes` answers yes; not interactive and no `--yes` answers no. */
  confirm(question: string): Promise<boolean>;
  print(line: string): void;
  close(): void;
}

const YES = /^(y|yes)$/i;
const NO = /^(n|no)$/i;

/**
 * A prompter. With `interactive`, questions go to `output` and answers come from `input`; secrets
 * are read without echo when `input` is a terminal, else as a line. Otherwise `ask` returns the
 * fallback (or fails), `secret` reads the next input line, and `confirm` answers `yes`.
 * @example
 *   const p = createPrompter({ interactive: process.stdin.isTTY === true, yes: false });
 *   const password = await p.secret('Password of admin@contoso.test');
 */
export function createPrompter(options: {
  interactive: boolean;
  yes: boolean;
  input?: Readable;
  output?: Writable;
}): Prompter {
  const output = options.output ?? process.stdout;
  const reader = createInputReader(options.input ?? process.stdin);
  const print = (line: string) => {
    output.write(`${line}\n`);
  };
  /** The trimmed answer; undefined when the input ended. */
  const question = async (text: string) => {
    output.write(text);
    return (await reader.line())?.trim();
  };
  const ended = (text: string) => new Error(`no answer to "${text}": the input ended`);
  return {
    print,
    async ask(text, fallback) {
      if (!options.interactive) {
        if (fallback === undefined) throw new Error(`missing answer for "${text}": give it as a flag`);
        return fallback;
      }
      const answer = await question(`${text}${fallback ? ` [${fallback}]` : ''}: `);
      if (answer === undefined) throw ended(text);
      return answer || fallback || '';
    },
    async choose(text, fallback) {
      if (!options.interactive) return fallback;
      for (;;) {
        const answer = await question(`${text} [${fallback ? 'Y/n' : 'y/N'}]: `);
        if (answer === undefined) throw ended(text);
        if (answer === '') return fallback;
        if (YES.test(answer)) return true;
        if (NO.test(answer)) return false;
        print('   answer y or n');
      }
    },
    async secret(text) {
      let line: string | undefined;
      if (options.interactive && reader.canHide) {
        line = await reader.hiddenLine(() => output.write(`${text} (hidden): `));
        output.write('\n');
      } else {
        if (options.interactive) output.write(`${text}: `);
        line = await reader.line();
      }
      if (line === undefined || line === '') throw new Error(`no value given for: ${text}`);
      return line;
    },
    async confirm(text) {
      if (options.yes || !options.interactive) {
        if (options.yes) print(`${text} yes (--yes)`);
        return options.yes;
      }
      return YES.test((await question(`${text} [y/N]: `)) ?? '');
    },
    close: () => reader.close(),
  };
}
