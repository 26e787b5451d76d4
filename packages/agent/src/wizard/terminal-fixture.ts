// For the wizard's tests: a terminal as the wizard sees it — an input that is a TTY with a raw mode
// and, like the kernel's line discipline, echoes what is typed to the screen unless raw mode is on —
// and a conversation that types each answer once its question is on the screen.
import { PassThrough, Writable } from 'node:stream';

/** A terminal: `input` is what the wizard reads, `screen()` everything shown, echoes included. */
export interface FakeTerminal {
  input: PassThrough & { isTTY: boolean; setRawMode(raw: boolean): void };
  output: Writable;
  screen(): string;
  /** Every raw-mode switch, in order. */
  rawModes: boolean[];
  /** Types `text` as a person would: echoed unless the terminal is in raw mode. */
  type(text: string): void;
  /** Ends the input (Ctrl-D on an empty line). */
  end(): void;
}

/** What `converse` needs of a terminal: a fake one, or a real pseudo-terminal around a process. */
export type Screen = Pick<FakeTerminal, 'screen' | 'type' | 'end'>;

export function fakeTerminal(options: { tty: boolean }): FakeTerminal {
  let shown = '';
  let raw = false;
  const rawModes: boolean[] = [];
  const input = Object.assign(new PassThrough(), {
    isTTY: options.tty,
    setRawMode(on: boolean) {
      raw = on;
      rawModes.push(on);
    },
  });
  const output = new Writable({
    write(chunk: Buffer, _e, done) {
      shown += chunk.toString();
      done();
    },
  });
  if (!options.tty) delete (input as Partial<typeof input>).setRawMode;
  return {
    input,
    output,
    rawModes,
    screen: () => shown,
    type(text) {
      if (!raw) shown += text;
      input.write(text);
    },
    end: () => input.end(),
  };
}

/**
 * Answers questions as they appear: each `[question, answer]` in order; the answer is typed (with
 * Enter) once the question is on the screen after the previous answer. When the next question does
 * not come within `giveUpMs` of the screen's last change, the input ends (the wizard then fails
 * instead of waiting for ever). `unasked()` lists the questions not asked, for an assertion.
 */
export function converse(
  terminal: Screen,
  script: readonly (readonly [RegExp, string])[],
  giveUpMs = 120_000,
) {
  const pending = [...script];
  let from = 0;
  let lastScreen = '';
  let lastChange = Date.now();
  const timer = setInterval(() => {
    const next = pending[0];
    if (!next) return;
    const screen = terminal.screen();
    if (screen !== lastScreen) [lastScreen, lastChange] = [screen, Date.now()];
    if (screen.slice(from).search(next[0]) < 0) {
      if (Date.now() - lastChange > giveUpMs) terminal.end();
      return;
    }
    pending.shift();
    from = screen.length;
    terminal.type(`${next[1]}\r`);
  }, 5);
  return {
    unasked: () => pending.map(([q]) => String(q)),
    stop: () => clearInterval(timer),
  };
}

/** The questions of a first interactive install, in order, with their answers. */
export function installAnswers(o: {
  cloudUrl: string;
  cloudAdmin: string;
  cloudAdminPassword: string;
  ad: { ldapsUrl: string; caFile: string; adminUpn: string; adminPassword: string };
  /** Answer to the hash sync question ('y', 'n', or '' for the default). */
  passwordHashSync: string;
  /** Answer at the summary. */
  proceed: string;
}): [RegExp, string][] {
  return [
    [/Cloud URL: $/, o.cloudUrl],
    [/PEM CA of the cloud's certificate.*: $/, ''],
    [/Cloud Global Administrator: $/, o.cloudAdmin],
    [/Password of admin@.*\(hidden\): $/, o.cloudAdminPassword],
    [/Domain controller.*: $/, o.ad.ldapsUrl],
    [/PEM CA of the DC's LDAPS certificate.*: $/, o.ad.caFile],
    [/Domain administrator.*: $/, o.ad.adminUpn],
    [/Password of Administrator@.*\(hidden\): $/, o.ad.adminPassword],
    [/Existing service account to use.*: $/, ''],
    [/Password hash sync.*\[y\/N\]: $/, o.passwordHashSync],
    [/Synchronize corp\.example\.test\? \[y\/N\]: $/i, 'y'],
    [/Proceed\? \[y\/N\]: $/, o.proceed],
  ];
}
