/**
 * Field and batch limits of the agent⇄cloud contract. Both sides refuse a message past them, so a
 * hostile or broken peer is stopped at the edge instead of deep inside a cycle.
 */
export const LIMITS = Object.freeze({
  /** Longest distinguished name accepted; AD allows 255 characters per RDN and deep trees. */
  dnLength: 4096,
  /** Longest DNS name (RFC 1035). */
  dnsNameLength: 253,
  /** NetBIOS domain names are at most 15 characters. */
  netbiosNameLength: 15,
  /** Longest host name an agent reports. */
  hostLength: 253,
  /** Longest version string (semver with build metadata). */
  versionLength: 64,
  /** Longest single string value of a mapped attribute. */
  attributeValueLength: 32_768,
  /** Most values of one multi-valued attribute (proxyAddresses and the like). */
  attributeValues: 1_500,
  /** Most target attributes on one change. */
  attributesPerChange: 200,
  /** Longest attribute name, source or target. */
  attributeNameLength: 128,
  /** Most members carried on one group change (Cloud Sync's group size limit). */
  membersPerChange: 50_000,
  /** Most changes in one change-set page. */
  changesPerPage: 500,
  /** Most hash envelopes in one batch. */
  hashesPerBatch: 1_000,
  /** Most writeback jobs handed out by one long-poll. */
  jobsPerPoll: 10,
  /** Longest JWE compact serialization of a writeback secret. */
  jweLength: 16_384,
  /** Longest attribute mapping expression. */
  expressionLength: 4_096,
  /** Most attribute mappings per object type. */
  mappingsPerObjectType: 200,
  /** Most OUs or groups in a scope. */
  scopeEntries: 500,
  /** Most scoping filters (ORed) and clauses per filter (ANDed). */
  scopingFilters: 20,
  clausesPerFilter: 50,
  /** Longest free-text message (error reasons, AD messages). */
  messageLength: 2_048,
  /** Most domains one agent serves. */
  domainsPerAgent: 50,
  /** Longest DirSync cookie, base64. */
  cookieLength: 65_536,
  /** Largest request body either side should accept, in bytes (HTTP server body limit). */
  bodyBytes: 16 * 1024 * 1024,
  /** Longest long-poll wait the cloud honours, in seconds. */
  longPollSeconds: 60,
});
