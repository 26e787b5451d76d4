import { compileAdminRegex } from '../../safe-regex.js';
import { mapText, toText } from '../values.js';
import { type FnArgs, type FunctionDef, fn } from './function-def.js';

function compile(a: FnArgs, pattern: string, flags = 'g'): RegExp {
  try {
    return compileAdminRegex(pattern, flags);
  } catch (err) {
    const why = err instanceof SyntaxError && /nests quantifiers/.test(err.message) ? 'unsafe' : 'invalid';
    return a.fail(`${why} regular expression ${JSON.stringify(pattern.slice(0, 60))}`, 2);
  }
}

/** .NET writes a named group reference `${name}`; JavaScript writes `$<name>`. */
function jsReplacement(value: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, '$<$1>');
}

/** Replaces the text of one named group in every match, by the group's exact span. */
function replaceGroup(source: string, re: RegExp, group: string, replacement: string): string {
  let out = '';
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) {
    const span = m.indices?.groups?.[group];
    if (span && span[0] >= last) {
      out += source.slice(last, span[0]) + replacement;
      last = span[1];
    }
    if (m[0] === '') re.lastIndex++;
  }
  return out + source.slice(last);
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
    if (group !== undefined) {
      const withIndices = compile(a, pattern, 'gd');
      return mapText(source, (s) => replaceGroup(s, withIndices, group, replacement ?? ''));
    }
    return mapText(source, (s) => s.replace(re, jsReplacement(replacement ?? '')));
  }
  return a.fail('Replace needs oldValue or regexPattern');
});
