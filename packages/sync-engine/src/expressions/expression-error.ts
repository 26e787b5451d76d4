/**
 * An attribute-mapping expression that cannot be parsed (`syntax`) or evaluated (`evaluation`).
 * `position` is the 0-based offset in the expression text; the message names it 1-based, as an admin
 * reads it ("at position 12").
 */
export class ExpressionError extends Error {
  readonly kind: 'syntax' | 'evaluation';
  readonly position: number;
  readonly detail: string;

  constructor(kind: 'syntax' | 'evaluation', detail: string, position: number) {
    super(`${detail} (at position ${position + 1})`);
    this.name = 'ExpressionError';
    this.kind = kind;
    this.detail = detail;
    this.position = position;
  }

  /** The expression line with a caret under the failing position, for the admin center and logs. */
  pointAt(expression: string): string {
    const start = Math.max(0, this.position - 40);
    const excerpt = expression.slice(start, this.position + 40).replace(/\s/g, ' ');
    return `${excerpt}\n${' '.repeat(this.position - start)}^`;
  }
}
