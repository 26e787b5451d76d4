/** Comparison operators allowed in conditions (`IIF([country]="USA", …)`). */
export type CompareOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** A node of a parsed expression; `pos` is its 0-based offset in the text. */
export type ExprNode =
  | { kind: 'attribute'; name: string; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'boolean'; value: boolean; pos: number }
  | { kind: 'call'; name: string; args: readonly (ExprNode | null)[]; pos: number }
  | { kind: 'compare'; op: CompareOperator; left: ExprNode; right: ExprNode; pos: number };

/** The attribute names an expression reads, in order of first use (case preserved, no duplicates). */
export function referencedAttributes(node: ExprNode): string[] {
  const seen = new Map<string, string>();
  const walk = (n: ExprNode | null): void => {
    if (!n) return;
    if (n.kind === 'attribute' && !seen.has(n.name.toLowerCase())) seen.set(n.name.toLowerCase(), n.name);
    if (n.kind === 'call') n.args.forEach(walk);
    if (n.kind === 'compare') {
      walk(n.left);
      walk(n.right);
    }
  };
  walk(node);
  return [...seen.values()];
}
