import type { AttributeMapping, ObjectType, TargetValue } from '@cloudsync/protocol';
import { ExpressionError } from '../expressions/expression-error.js';
import type { EvalContext } from '../expressions/functions/function-def.js';
import type { SourceAttributes } from '../source-object.js';
import { compileMapping } from './compile-mapping.js';

/** What the admin center shows when an admin tries a mapping on a sample object. */
export type MappingPreview =
  | {
      ok: true;
      target: string;
      /** The value sent on update (or on creation only, for `objectCreationOnly`). */
      value: TargetValue;
      /** The value a newly created object gets (differs when the default value applies). */
      valueOnCreation: TargetValue;
      /** IgnoreFlowIfNullOrEmpty dropped the attribute: it is not sent at all. */
      ignored: boolean;
      /** Source attributes the mapping read, with the values it saw. */
      inputs: Record<string, unknown>;
    }
  | { ok: false; target: string; message: string; position?: number; pointer?: string };

/**
 * Runs one mapping against one object, for the admin center's "try it" panel. Never throws.
 * @example
 *   preview({ target: 'displayName', source: { kind: 'expression', expression: 'Join(" ", [givenName], [sn])' },
 *     applyWhen: 'always' }, { givenName: 'Bobby', sn: 'Tables' }) // { ok: true, value: 'Bobby Tables', … }
 */
export function preview(
  mapping: AttributeMapping,
  object: SourceAttributes,
  options: { objectType?: ObjectType; ctx?: Partial<EvalContext> } = {},
): MappingPreview {
  const { target } = mapping;
  const expression = mapping.source.kind === 'expression' ? mapping.source.expression : undefined;
  try {
    const compiled = compileMapping(options.objectType ?? 'user', mapping);
    const outcome = compiled.run(object, options.ctx);
    if (outcome.kind === 'error') {
      const { message, position } = outcome.problem;
      return { ok: false, target, message, ...pointerOf(expression, position) };
    }
    const inputs = Object.fromEntries(compiled.sourceAttributes.map((a) => [a, readInput(object, a)]));
    if (outcome.kind === 'ignored')
      return { ok: true, target, value: null, valueOnCreation: null, ignored: true, inputs };
    const fallback =
      outcome.value === null && mapping.defaultValue !== undefined ? mapping.defaultValue : outcome.value;
    return { ok: true, target, value: outcome.value, valueOnCreation: fallback, ignored: false, inputs };
  } catch (err) {
    if (err instanceof ExpressionError) {
      return { ok: false, target, message: err.message, ...pointerOf(expression, err.position) };
    }
    return { ok: false, target, message: err instanceof Error ? err.message : String(err) };
  }
}

function pointerOf(expression: string | undefined, position: number | undefined) {
  if (expression === undefined || position === undefined) return {};
  return { position, pointer: new ExpressionError('syntax', '', position).pointAt(expression) };
}

function readInput(object: SourceAttributes, name: string): unknown {
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower);
  const v = key === undefined ? null : object[key];
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  return v ?? null;
}

/**
 * Runs every mapping of an object type against one object, for the admin center's whole-object preview.
 * @example
 *   previewMappings('user', configuration.mappings.user, sampleUser).filter((p) => !p.ok) // the failures
 */
export function previewMappings(
  objectType: ObjectType,
  mappings: readonly AttributeMapping[],
  object: SourceAttributes,
  ctx?: Partial<EvalContext>,
): MappingPreview[] {
  return mappings.map((m) => preview(m, object, { objectType, ...(ctx ? { ctx } : {}) }));
}
