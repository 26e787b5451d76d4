import type { ExprValue } from '../values.js';

/** What a function can ask of the evaluation it runs in. */
export interface EvalContext {
  /** "Now" for Now(); fixed in tests and previews. */
  readonly now: Date;
  /** For SelectUniqueValue: whether a candidate is still free in the target directory. */
  readonly isUnique?: (value: string) => boolean;
}

/** Lazily evaluated arguments: a function evaluates only what it uses (IIF, Switch, Coalesce). */
export interface FnArgs {
  readonly count: number;
  /** The value of argument i; an empty argument (`f(a, , b)`) or a missing one is null. */
  value(i: number): ExprValue;
  /** True when argument i was left empty or not given. */
  isEmpty(i: number): boolean;
  /** Throws an evaluation error pointing at argument i (or at the call). */
  fail(detail: string, i?: number): never;
}

export interface FunctionDef {
  readonly name: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Switch takes an even number of arguments. */
  readonly evenArgs?: boolean;
  /** SelectUniqueValue and IgnoreFlowIfNullOrEmpty must be the whole expression. */
  readonly topLevelOnly?: boolean;
  /** A function Cloud Sync lists that makes no sense from AD to the cloud; refused at parse time. */
  readonly unsupported?: string;
  call(args: FnArgs, ctx: EvalContext): ExprValue;
}

/** Defines a function; `max` defaults to `min`. */
export function fn(
  name: string,
  min: number,
  max: number,
  call: FunctionDef['call'],
  extra: Partial<Pick<FunctionDef, 'evenArgs' | 'topLevelOnly' | 'unsupported'>> = {},
): FunctionDef {
  return { name, minArgs: min, maxArgs: max, call, ...extra };
}

/** An integer argument, or a typed failure. */
export function intArg(args: FnArgs, i: number, what: string): number {
  const v = args.value(i);
  const raw = Array.isArray(v) ? v[0] : v;
  const n =
    typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n)) args.fail(`${what} must be an integer`, i);
  return n;
}
