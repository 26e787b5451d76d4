import type { SourceAttributes } from '../source-object.js';
import { type ExprNode, referencedAttributes } from './ast.js';
import { evaluateNode } from './evaluator.js';
import type { EvalContext } from './functions/function-def.js';
import { parseExpression } from './parser.js';
import { type ExprValue, isNullOrEmpty } from './values.js';

/** What an expression produced: a value, or `ignored` when IgnoreFlowIfNullOrEmpty dropped it. */
export type ExpressionResult = { ignored: false; value: ExprValue } | { ignored: true };

export interface CompiledExpression {
  readonly text: string;
  readonly ast: ExprNode;
  /** The source attributes the expression reads (so the agent knows what to fetch from AD). */
  readonly attributes: readonly string[];
  evaluate(attrs: SourceAttributes, ctx?: Partial<EvalContext>): ExpressionResult;
}

/**
 * Parses and checks an expression once, to evaluate it against many objects.
 * @throws ExpressionError (syntax) naming the position.
 * @example
 *   const e = compileExpression('IIF(BitAnd([userAccountControl], 2) = 2, False, True)');
 *   e.evaluate({ userAccountControl: '514' }); // { ignored: false, value: false }
 */
export function compileExpression(text: string): CompiledExpression {
  const ast = parseExpression(text);
  const ignoreFlow = ast.kind === 'call' && ast.name.toLowerCase() === 'ignoreflowifnullorempty';
  return {
    text,
    ast,
    attributes: referencedAttributes(ast),
    evaluate(attrs, ctx = {}) {
      const full: EvalContext = {
        now: ctx.now ?? new Date(),
        ...(ctx.isUnique ? { isUnique: ctx.isUnique } : {}),
      };
      const value = evaluateNode(ast, attrs, full);
      if (ignoreFlow && isNullOrEmpty(value)) return { ignored: true };
      return { ignored: false, value };
    },
  };
}
