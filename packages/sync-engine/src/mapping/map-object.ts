import type { AttributeMapping, ObjectType, TargetAttributes } from '@cloudsync/protocol';
import type { EvalContext } from '../expressions/functions/function-def.js';
import type { SourceAttributes } from '../source-object.js';
import { type CompiledMapping, compileMappings, type MappingProblem } from './compile-mapping.js';

/** An object's mapped target attributes, split as the change set carries them. */
export interface MappedObject {
  /** From mappings that apply always. Attributes whose mapping failed or was ignored are left out. */
  attributes: TargetAttributes;
  /** From `objectCreationOnly` mappings, and default values where the source gave no value. */
  creationOnlyAttributes: TargetAttributes;
  /** Mappings that failed for this object; their targets are left out (so left unchanged). */
  problems: MappingProblem[];
}

export interface ObjectMapper {
  readonly objectType: ObjectType;
  /** Mappings that did not compile; they are skipped on every object. */
  readonly problems: readonly MappingProblem[];
  /** Every source attribute the mappings read, so the agent asks AD for exactly these. */
  readonly sourceAttributes: readonly string[];
  map(attrs: SourceAttributes, ctx?: Partial<EvalContext>): MappedObject;
}

function applyOne(
  m: CompiledMapping,
  attrs: SourceAttributes,
  ctx: Partial<EvalContext> | undefined,
  out: MappedObject,
) {
  const { target, applyWhen, defaultValue } = m.mapping;
  const outcome = m.run(attrs, ctx);
  if (outcome.kind === 'error') {
    out.problems.push(outcome.problem);
    return;
  }
  if (outcome.kind === 'ignored') return;
  const empty = outcome.value === null;
  if (applyWhen === 'objectCreationOnly') {
    out.creationOnlyAttributes[target] = empty && defaultValue !== undefined ? defaultValue : outcome.value;
    return;
  }
  out.attributes[target] = outcome.value;
  if (empty && defaultValue !== undefined) out.creationOnlyAttributes[target] = defaultValue;
}

/**
 * Compiles the mappings of one object type once, to map many objects.
 * @example
 *   const mapper = createObjectMapper('user', DEFAULT_MAPPINGS.user);
 *   const { attributes } = mapper.map(withDomainAttributes(entry, domain));
 */
export function createObjectMapper(
  objectType: ObjectType,
  mappings: readonly AttributeMapping[],
): ObjectMapper {
  const { compiled, problems } = compileMappings(objectType, mappings);
  const sourceAttributes = [
    ...new Set(compiled.flatMap((m) => m.sourceAttributes.map((a) => a.toLowerCase()))),
  ];
  return {
    objectType,
    problems,
    sourceAttributes,
    map(attrs, ctx) {
      const out: MappedObject = { attributes: {}, creationOnlyAttributes: {}, problems: [] };
      for (const m of compiled) applyOne(m, attrs, ctx, out);
      return out;
    },
  };
}
