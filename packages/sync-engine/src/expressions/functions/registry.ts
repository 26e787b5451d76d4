import { conversionFunctions } from './conversion-functions.js';
import { formatDateTimeFunction } from './format-date-time.js';
import type { FunctionDef } from './function-def.js';
import { logicFunctions } from './logic-functions.js';
import { replaceFunction } from './replace.js';
import { textFunctions } from './text-functions.js';

const ALL: readonly FunctionDef[] = [
  ...textFunctions,
  ...logicFunctions,
  ...conversionFunctions,
  replaceFunction,
  formatDateTimeFunction,
];

const BY_NAME: ReadonlyMap<string, FunctionDef> = new Map(ALL.map((f) => [f.name.toLowerCase(), f]));

/** The function named `name` (case-insensitive), or undefined. */
export function lookupFunction(name: string): FunctionDef | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Names of every supported function, for the admin center's expression builder. */
export const FUNCTION_NAMES: readonly string[] = ALL.filter((f) => !f.unsupported)
  .map((f) => f.name)
  .sort();
