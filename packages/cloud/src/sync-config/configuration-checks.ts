import type { AttributeMappings, Scope } from '@cloudsync/protocol';
import { compileMapping, validateScope } from '@cloudsync/sync-engine';
import { badRequest, type CloudError } from '../errors.js';

const OBJECT_TYPES = ['user', 'group', 'contact'] as const;

function mappingProblem(mappings: AttributeMappings): CloudError | undefined {
  for (const type of OBJECT_TYPES) {
    for (const [i, mapping] of mappings[type].entries()) {
      try {
        compileMapping(type, mapping);
      } catch (err) {
        const target = `mappings.${type}[${i}].source.expression`;
        const why = err instanceof Error ? err.message : 'it does not compile';
        return badRequest(`Invalid value specified for property '${target}': ${why}.`, target);
      }
    }
  }
  return undefined;
}

/**
 * What the schema cannot see: scoping filters the sync engine refuses (bad regexes, say) and mapping
 * expressions that do not parse. Throws Graph's 400 naming the property at fault.
 */
export function assertConfigurationRuns(input: {
  scope?: Scope | undefined;
  mappings?: AttributeMappings | undefined;
}): void {
  if (input.scope) {
    const [problem] = validateScope(input.scope);
    if (problem) throw badRequest(`Invalid value specified for property 'scope': ${problem}.`, 'scope');
  }
  const problem = input.mappings && mappingProblem(input.mappings);
  if (problem) throw problem;
}
