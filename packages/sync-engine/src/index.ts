export { AdValueError, type AdValueErrorCode } from './ad-values/ad-value-error.js';
export { dnKey, isDnUnder, normalizeDn } from './ad-values/distinguished-name.js';
export { GROUP_TYPE, type GroupKind, parseGroupType } from './ad-values/group-type.js';
export { guidBytesToString, guidStringToBytes, isGuidString } from './ad-values/guid.js';
export { parseInt32 } from './ad-values/integer.js';
export { ridOf, sidBytesToString, sidStringToBytes } from './ad-values/sid.js';
export { dateToFileTime, fileTimeToDate, generalizedTimeToDate } from './ad-values/time.js';
export { isAccountDisabled, parseUserAccountControl, UAC } from './ad-values/user-account-control.js';
export { anchorFromGuid, anchorOf, guidFromAnchor, type ObjectAnchor } from './anchors.js';
export {
  type AttributeChange,
  diffAttributes,
  hasChanges,
  normalizeTargetValue,
} from './diff/diff-attributes.js';
export { type CompareOperator, type ExprNode, referencedAttributes } from './expressions/ast.js';
export { type CompiledExpression, compileExpression, type ExpressionResult } from './expressions/compile.js';
export { ExpressionError } from './expressions/expression-error.js';
export type { EvalContext } from './expressions/functions/function-def.js';
export { FUNCTION_NAMES } from './expressions/functions/registry.js';
export { parseExpression } from './expressions/parser.js';
export type { ExprScalar, ExprValue } from './expressions/values.js';
export { type CompiledMapping, compileMapping, type MappingProblem } from './mapping/compile-mapping.js';
export { DEFAULT_MAPPINGS } from './mapping/default-mappings.js';
export { createObjectMapper, type MappedObject, type ObjectMapper } from './mapping/map-object.js';
export { type MappingPreview, preview, previewMappings } from './mapping/preview.js';
export { TARGET_SCHEMA, type TargetType, targetTypeOf } from './mapping/target-schema.js';
export {
  type ChangePlanner,
  createChangePlanner,
  type PlannedChange,
  type PlanOptions,
  type PreviousExport,
  type SourceEntry,
} from './pipeline/change-planner.js';
export { type DeleteGuard, deleteGuardVerdict } from './pipeline/delete-guard.js';
export { compileClause } from './scoping/clause.js';
export {
  createScopeEvaluator,
  type ScopeDecision,
  type ScopeEvaluator,
  type ScopeSubject,
  validateScope,
} from './scoping/scope-evaluator.js';
export { getFirst, getValues, type SourceAttributes, type SourceValue } from './source-object.js';
export { withSynthesizedAttributes } from './synthesized-attributes.js';
