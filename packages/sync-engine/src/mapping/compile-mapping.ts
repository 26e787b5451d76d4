import type { AttributeMapping, ObjectType, TargetValue } from '@cloudsync/protocol';
import { compileExpression, type ExpressionResult } from '../expressions/compile.js';
import { ExpressionError } from '../expressions/expression-error.js';
import type { EvalContext } from '../expressions/functions/function-def.js';
import { getValues, type SourceAttributes } from '../source-object.js';
import { coerceToTarget } from './coerce.js';
import { type TargetType, targetTypeOf } from './target-schema.js';

/** Why one mapping produced no value for one object (or could not be compiled). */
export interface MappingProblem {
  target: string;
  message: string;
  /** 0-based offset in the expression, for expression errors. */
  position?: number;
}

/** The outcome of one mapping on one object. */
export type MappingOutcome =
  | { kind: 'value'; value: TargetValue }
  | { kind: 'ignored' }
  | { kind: 'error'; problem: MappingProblem };

/** A mapping ready to run: its expression parsed once. */
export interface CompiledMapping {
  readonly mapping: AttributeMapping;
  readonly targetType: TargetType | undefined;
  /** Source attributes the mapping reads. */
  readonly sourceAttributes: readonly string[];
  run(attrs: SourceAttributes, ctx?: Partial<EvalContext>): MappingOutcome;
}

function problemOf(target: string, err: unknown): MappingProblem {
  if (err instanceof ExpressionError) return { target, message: err.message, position: err.position };
  return { target, message: err instanceof Error ? err.message : String(err) };
}

function sourceEvaluator(mapping: AttributeMapping): {
  attributes: string[];
  evaluate: (a: SourceAttributes, c?: Partial<EvalContext>) => ExpressionResult;
} {
  const source = mapping.source;
  switch (source.kind) {
    case 'attribute':
      return {
        attributes: [source.name],
        evaluate: (attrs) => {
          const values = getValues(attrs, source.name);
          return { ignored: false, value: values.length > 1 ? values : (values[0] ?? null) };
        },
      };
    case 'constant':
      return { attributes: [], evaluate: () => ({ ignored: false, value: source.value }) };
    case 'expression': {
      const compiled = compileExpression(source.expression);
      return { attributes: [...compiled.attributes], evaluate: (a, c) => compiled.evaluate(a, c) };
    }
  }
}

/**
 * Compiles one attribute mapping.
 * @throws ExpressionError (syntax) when its expression does not parse.
 */
export function compileMapping(objectType: ObjectType, mapping: AttributeMapping): CompiledMapping {
  const { attributes, evaluate } = sourceEvaluator(mapping);
  const targetType = targetTypeOf(objectType, mapping.target);
  return {
    mapping,
    targetType,
    sourceAttributes: attributes,
    run(attrs, ctx) {
      try {
        const result = evaluate(attrs, ctx);
        if (result.ignored) return { kind: 'ignored' };
        const coerced = coerceToTarget(result.value, targetType);
        if (!coerced.ok)
          return { kind: 'error', problem: { target: mapping.target, message: coerced.message } };
        return { kind: 'value', value: coerced.value };
      } catch (err) {
        return { kind: 'error', problem: problemOf(mapping.target, err) };
      }
    },
  };
}

/** Compiles each mapping, collecting syntax errors instead of throwing. */
export function compileMappings(
  objectType: ObjectType,
  mappings: readonly AttributeMapping[],
): { compiled: CompiledMapping[]; problems: MappingProblem[] } {
  const compiled: CompiledMapping[] = [];
  const problems: MappingProblem[] = [];
  for (const m of mappings) {
    try {
      compiled.push(compileMapping(objectType, m));
    } catch (err) {
      problems.push(problemOf(m.target, err));
    }
  }
  return { compiled, problems };
}
