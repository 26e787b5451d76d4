export {
  type AgentJob,
  type AgentJobPollResponse,
  type AgentJobResult,
  agentJobPollResponseSchema,
  agentJobResultSchema,
  agentJobSchema,
  type ProvisioningStep,
  provisioningStepSchema,
  provisionOnDemandJobSchema,
} from './agents/agent-jobs.js';
export { AGENT_INACTIVE_AFTER_MINUTES, type AgentView, agentViewSchema } from './agents/agent-view.js';
export {
  type CycleLeaseRequest,
  type CycleLeaseResponse,
  cycleLeaseRequestSchema,
  cycleLeaseResponseSchema,
} from './agents/cycle-lease.js';
export {
  type AgentRunStatus,
  agentRunStatusSchema,
  currentCycleSchema,
  type HeartbeatRequest,
  type HeartbeatResponse,
  heartbeatRequestSchema,
  heartbeatResponseSchema,
} from './agents/heartbeat.js';
export { type PublicJwk, publicJwkSchema } from './agents/public-jwk.js';
export {
  type AgentRegistrationRequest,
  type AgentRegistrationResponse,
  agentRegistrationRequestSchema,
  agentRegistrationResponseSchema,
} from './agents/registration.js';
export {
  type ChangeResult,
  type CycleAcknowledgement,
  type CycleState,
  changeResultSchema,
  cycleAcknowledgementSchema,
  cycleStateSchema,
  type PageAcknowledgement,
  pageAcknowledgementSchema,
} from './change-sets/acknowledgement.js';
export {
  type TargetAttributes,
  type TargetValue,
  targetAttributesSchema,
  targetValueSchema,
} from './change-sets/attribute-values.js';
export {
  type Change,
  type ChangeOp,
  changeSchema,
  deleteChangeSchema,
  type Members,
  membersSchema,
  outOfScopeChangeSchema,
  skippedChangeSchema,
  upsertChangeSchema,
} from './change-sets/change.js';
export {
  type ChangeSetPage,
  type CycleCounts,
  type CycleEnd,
  type CycleKind,
  changeSetPageSchema,
  cycleCountsSchema,
  cycleEndSchema,
  cycleKindSchema,
} from './change-sets/change-set.js';
export {
  type AgentCursor,
  agentCursorSchema,
  type DrsrWatermark,
  drsrWatermarkSchema,
} from './change-sets/cursor.js';
export {
  type Anchor,
  anchorSchema,
  attributeNameSchema,
  distinguishedNameSchema,
  dnsNameSchema,
  guidSchema,
  idSchema,
  messageSchema,
  netbiosNameSchema,
  type ObjectType,
  objectTypeSchema,
  safeText,
  sidSchema,
  timestampSchema,
  versionStringSchema,
} from './common.js';
export {
  type ErrorBody,
  errorBody,
  errorBodySchema,
  errorCodeSchema,
  ProtocolError,
} from './errors/error-body.js';
export { ERROR_CODE_LIST, ERROR_CODES, type ErrorCode } from './errors/error-codes.js';
export { protocolExamples } from './examples.js';
export { LIMITS } from './limits.js';
export {
  type HashEnvelopeBatch,
  type HashEnvelopeBatchAcknowledgement,
  type HashEnvelopeItem,
  hashEnvelopeBatchAcknowledgementSchema,
  hashEnvelopeBatchSchema,
  hashEnvelopeItemSchema,
  hashEnvelopeSchema,
} from './password-hash-sync/envelope-batch.js';
export {
  hashOfHash,
  hashOfHashSync,
  ntHash,
  PHS_ITERATIONS,
  PHS_SALT_BYTES,
  PHS_SCHEME,
  parseHashOfHash,
  verifyHashOfHash,
} from './password-hash-sync/hash-of-hash.js';
export { md4 } from './password-hash-sync/md4.js';
export { AGENT_API_PREFIX, AGENT_ROUTES, type AgentRoute, agentPath, PROTOCOL_VERSION } from './routes.js';
export {
  type AttributeMapping,
  type AttributeMappings,
  attributeMappingSchema,
  attributeMappingsSchema,
  type MappingSource,
  mappingSourceSchema,
} from './sync-configuration/attribute-mapping.js';
export {
  type Scope,
  type ScopingClause,
  type ScopingFilter,
  type ScopingOperator,
  scopeSchema,
  scopingClauseSchema,
  scopingFilterSchema,
  scopingOperatorSchema,
  VALUELESS_OPERATORS,
} from './sync-configuration/scope.js';
export {
  type ConfigurationDomain,
  type ConfigurationList,
  configurationDomainSchema,
  configurationListSchema,
  DEFAULT_DELETE_THRESHOLD,
  deleteGuardSchema,
  type SyncConfiguration,
  syncConfigurationSchema,
} from './sync-configuration/sync-configuration.js';
export {
  jweCompactSchema,
  type WritebackJob,
  type WritebackPollResponse,
  type WritebackResult,
  type WritebackSecret,
  writebackJobSchema,
  writebackPollResponseSchema,
  writebackResultSchema,
  writebackSecretSchema,
} from './writeback/writeback-job.js';
