import { type ExprValue, isNullOrEmpty, scalarText, toBoolean, toList, toText } from '../values.js';
import { type FunctionDef, fn } from './function-def.js';

/** Switch keys match by text, case-sensitively; null matches "" (Cloud Sync's idiom for "empty"). */
function switchKeyMatches(source: ExprValue, key: ExprValue): boolean {
  if (typeof source === 'boolean' || typeof key === 'boolean') return toBoolean(source) === toBoolean(key);
  return (toText(source) ?? '') === (toText(key) ?? '');
}

export const logicFunctions: readonly FunctionDef[] = [
  fn('IIF', 3, 3, (a) => (toBoolean(a.value(0)) ? a.value(1) : a.value(2))),
  fn('Not', 1, 1, (a) => !toBoolean(a.value(0))),
  fn('CBool', 1, 1, (a) => toBoolean(a.value(0))),
  fn('Coalesce', 1, Number.POSITIVE_INFINITY, (a) => {
    for (let i = 0; i < a.count; i++) {
      const v = a.value(i);
      if (v !== null && !(Array.isArray(v) && v.length === 0)) return v;
    }
    return null;
  }),
  fn(
    'Switch',
    2,
    Number.POSITIVE_INFINITY,
    (a) => {
      const source = a.value(0);
      for (let i = 2; i + 1 < a.count; i += 2) {
        if (switchKeyMatches(source, a.value(i))) return a.value(i + 1);
      }
      return a.value(1);
    },
    { evenArgs: true },
  ),
  fn('IgnoreFlowIfNullOrEmpty', 1, 1, (a) => a.value(0), { topLevelOnly: true }),
  fn(
    'SelectUniqueValue',
    2,
    Number.POSITIVE_INFINITY,
    (a, ctx) => {
      for (let i = 0; i < a.count; i++) {
        const v = a.value(i);
        if (isNullOrEmpty(v)) continue;
        const candidate = scalarText(toList(v)[0] ?? '');
        if (!ctx.isUnique || ctx.isUnique(candidate)) return candidate;
      }
      return a.fail('SelectUniqueValue: every candidate is already taken');
    },
    { topLevelOnly: true },
  ),
  fn('SingleAppRoleAssignment', 1, 1, () => null, {
    unsupported: 'app role assignments do not exist in Active Directory',
  }),
  fn('AppRoleAssignmentsComplex', 1, 1, () => null, {
    unsupported: 'app role assignments do not exist in Active Directory',
  }),
];
