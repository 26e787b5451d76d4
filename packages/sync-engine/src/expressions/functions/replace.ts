import { mapText, toText } from '../values.js';
import { type FnArgs, type FunctionDef, fn } from './function-def.js';

function compile(a: FnArgs, pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'g');
  } catch {
    return a.fail(`invalid regular expression ${JSON.stringify(pattern.slice(0, 60))}`, 2);
  }
}

/** .NET writes a named group reference `${name}`; JavaScript writes `$<name>`. */
function jsReplacement(value: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, '$<$1>');
}

function replaceGroup(source: string, re: RegExp, group: string, replacement: string): string {
  return source.replace(re, (...m: unknown[]) => {
    const whole = String(m[0]);
    const groups = m[m.length - 1];
    const value = typeof groups === 'object' && groups !== null ? Reflect.get(groups, group) : undefined;
    if (typeof value !== 'string' || value === '') return whole;
    return whole.replace(value, () => replacement);
  });
}

/**
 * Replace(source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName,
 * template), with the combinations Cloud Sync documents; empty arguments are left out.
 */
export const replaceFunction: FunctionDef = fn('Replace', 2, 7, (a) => {
  const opt = (i: number) => (a.isEmpty(i) ? undefined : (toText(a.value(i)) ?? undefined));
  const [oldValue, pattern, group, replacement, template] = [opt(1), opt(2), opt(3), opt(4), opt(6)];
  const source = a.value(0);
  if (oldValue !== undefined && template !== undefined && replacement === undefined) {
    const s = toText(source);
    return s === null ? null : template.replaceAll(oldValue, s);
  }
  if (oldValue !== undefined && oldValue !== '') {
    return mapText(source, (s) => s.replaceAll(oldValue, replacement ?? ''));
  }
  if (pattern !== undefined) {
    const re = compile(a, pattern);
    if (group !== undefined && !a.isEmpty(5) && replacement === undefined) {
      const s = toText(source);
      if (s !== null && s !== '') return s;
      const fallback = toText(a.value(5)) ?? '';
      const m = new RegExp(re.source).exec(fallback);
      return m?.groups?.[group] ?? null;
    }
    if (group !== undefined) return mapText(source, (s) => replaceGroup(s, re, group, replacement ?? ''));
    return mapText(source, (s) => s.replace(re, jsReplacement(replacement ?? '')));
  }
  return a.fail('Replace needs oldValue or regexPattern');
});
