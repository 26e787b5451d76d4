/** `+`, `*` or an open-ended `{n,}` / `{n,m}` at position i (the quantifiers that repeat unboundedly or many times). */
function quantifierAt(pattern: string, i: number): number {
  const c = pattern.charAt(i);
  if (c === '+' || c === '*') return 1;
  const m = /^\{\d+,\d*\}/.exec(pattern.slice(i));
  return m ? m[0].length : 0;
}

/**
 * True when a repeated group contains a repetition itself, such as `(a+)+`, `(\w*x?)*` or `((ab)*)+`:
 * the shape of patterns whose backtracking grows exponentially.
 */
function nestsQuantifiers(pattern: string): boolean {
  const stack: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(') {
      stack.push(false);
    } else if (c === ')') {
      const inner = stack.pop() ?? false;
      const q = quantifierAt(pattern, i + 1);
      if (q && inner) return true;
      if (stack.length && (inner || q)) stack[stack.length - 1] = true;
    } else if (quantifierAt(pattern, i) && stack.length) {
      stack[stack.length - 1] = true;
    }
  }
  return false;
}

/**
 * Compiles an admin's regular expression, refusing invalid ones and ones with nested quantifiers.
 * Admins write these patterns and the agent runs them on every object, so a pattern that can
 * backtrack for minutes is refused rather than allowed to stall a cycle. (A heuristic: overlapping
 * alternatives such as `(a|aa)+` still pass; values are bounded to 32,768 characters.)
 * @throws SyntaxError with a message that says which.
 */
export function compileAdminRegex(pattern: string, flags = ''): RegExp {
  if (nestsQuantifiers(pattern)) {
    throw new SyntaxError(
      `the pattern nests quantifiers and could run for minutes: ${JSON.stringify(pattern.slice(0, 60))}`,
    );
  }
  return new RegExp(pattern, flags);
}
