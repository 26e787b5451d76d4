import { getValues, type SourceAttributes } from '../source-object.js';
import type { CompareOperator, ExprNode } from './ast.js';
import { ExpressionError } from './expression-error.js';
import type { EvalContext, FnArgs } from './functions/function-def.js';
import { lookupFunction } from './functions/registry.js';
import { type ExprValue, toBoolean, toNumber, toText } from './values.js';

function compare(op: CompareOperator, left: ExprValue, right: ExprValue): boolean {
  if (typeof left === 'boolean' || typeof right === 'boolean') {
    const eq = toBoolean(left) === toBoolean(right);
    if (op === '=') return eq;
    if (op === '<>') return !eq;
  }
  const ln = toNumber(left);
  const rn = toNumber(right);
  const numeric = ln !== undefined && rn !== undefined;
  // null compares as "": IIF([country]="", …) tests for an empty attribute.
  const l = numeric ? ln : (toText(left) ?? '');
  const r = numeric ? rn : (toText(right) ?? '');
  switch (op) {
    case '=':
      return l === r;
    case '<>':
      return l !== r;
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    case '>=':
      return l >= r;
  }
}

function attributeValue(attrs: SourceAttributes, name: string): ExprValue {
  const values = getValues(attrs, name);
  if (values.length === 0) return null;
  return values.length === 1 ? (values[0] ?? null) : values;
}

/**
 * Evaluates a parsed expression against an object's attributes.
 * @throws ExpressionError (evaluation) naming the position of the failing call.
 */
export function evaluateNode(node: ExprNode, attrs: SourceAttributes, ctx: EvalContext): ExprValue {
  switch (node.kind) {
    case 'attribute':
      return attributeValue(attrs, node.name);
    case 'string':
    case 'number':
    case 'boolean':
      return node.value;
    case 'compare':
      return compare(node.op, evaluateNode(node.left, attrs, ctx), evaluateNode(node.right, attrs, ctx));
    case 'call':
      return callFunction(node, attrs, ctx);
  }
}

function callFunction(node: Extract<ExprNode, { kind: 'call' }>, attrs: SourceAttributes, ctx: EvalContext) {
  const def = lookupFunction(node.name);
  if (!def) throw new ExpressionError('evaluation', `unknown function ${node.name}`, node.pos);
  const cache = new Map<number, ExprValue>();
  const args: FnArgs = {
    count: node.args.length,
    value(i) {
      const arg = node.args[i];
      if (!arg) return null;
      if (!cache.has(i)) cache.set(i, evaluateNode(arg, attrs, ctx));
      return cache.get(i) ?? null;
    },
    isEmpty: (i) => !node.args[i],
    fail(detail, i) {
      throw new ExpressionError('evaluation', `${def.name}: ${detail}`, node.args[i ?? -1]?.pos ?? node.pos);
    },
  };
  return def.call(args, ctx);
}
