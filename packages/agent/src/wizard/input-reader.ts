// One reader over the wizard's input, by line or — for secrets typed on a terminal — by key with the
// terminal in raw mode, so the kernel does not echo what is typed. Both share one buffer, so a line
// piped ahead of its question is never lost between the two modes.
import type { Readable } from 'node:stream';

/** A terminal input: `process.stdin` when it is a TTY (node's `tty.ReadStream`). */
interface RawCapable {
  isTTY?: boolean;
  setRawMode?: (raw: boolean) => unknown;
}

/** Typing Ctrl-C at a hidden prompt: the wizard stops as the terminal would have stopped it. */
export class PromptInterruptedError extends Error {
  constructor() {
    super('interrupted (Ctrl-C): nothing more was done');
    this.name = 'PromptInterruptedError';
  }
}

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const CTRL_U = '\u0015';
const BACKSPACES = new Set(['\u007f', '\b']);

/** Reads lines, or keys without echo on a terminal. `close()` lets the process exit. */
export function createInputReader(input: Readable & RawCapable) {
  let buffer = '';
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const onData = (chunk: Buffer | string) => {
    buffer += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    notify();
  };
  const onEnd = () => {
    ended = true;
    notify();
  };
  let listening = false;
  const listen = () => {
    if (listening) return;
    listening = true;
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('close', onEnd);
    input.resume();
  };
  const more = () => new Promise<void>((resolve) => (wake = resolve));

  /** The next line without its end (`\n`, `\r\n` or, from a raw terminal, `\r`); undefined at the end. */
  async function line(): Promise<string | undefined> {
    listen();
    for (;;) {
      const end = buffer.search(/\r\n|\r|\n/);
      if (end >= 0) {
        const text = buffer.slice(0, end);
        buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
        return text;
      }
      if (ended) {
        const rest = buffer;
        buffer = '';
        return rest === '' ? undefined : rest;
      }
      await more();
    }
  }

  /**
   * Keys up to Enter with the terminal in raw mode (no echo); backspace and Ctrl-U edit. Raw mode is
   * on before `prompt` is shown, so keys typed as soon as it appears are not echoed either.
   */
  async function hiddenLine(prompt: () => void): Promise<string | undefined> {
    listen();
    input.setRawMode?.(true);
    let typed = '';
    try {
      prompt();
      for (;;) {
        while (buffer.length > 0) {
          const key = String.fromCodePoint(buffer.codePointAt(0) ?? 0);
          buffer = buffer.slice(key.length);
          if (key === '\r' || key === '\n') {
            if (key === '\r' && buffer.startsWith('\n')) buffer = buffer.slice(1);
            return typed;
          }
          if (key === CTRL_C) throw new PromptInterruptedError();
          if (key === CTRL_D) return typed === '' ? undefined : typed;
          if (key === CTRL_U) typed = '';
          else if (BACKSPACES.has(key)) typed = Array.from(typed).slice(0, -1).join('');
          else if (key >= ' ') typed += key;
        }
        if (ended) return typed === '' ? undefined : typed;
        await more();
      }
    } finally {
      input.setRawMode?.(false);
    }
  }

  return {
    /** True when secrets can be read without echo (the input is a terminal). */
    canHide: input.isTTY === true && typeof input.setRawMode === 'function',
    line,
    hiddenLine,
    close() {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('close', onEnd);
      input.pause();
      ended = true;
      notify();
    },
  };
}

export type InputReader = ReturnType<typeof createInputReader>;
