// The shapes the admin center reads from the admin API (docs/api.md, docs/agents.md).

export interface User {
  id: string;
  displayName: string | null;
  userPrincipalName: string;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  jobTitle: string | null;
  department: string | null;
  usageLocation: string | null;
  accountEnabled: boolean | null;
  onPremisesSyncEnabled: boolean | null;
  onPremisesImmutableId: string | null;
  onPremisesDistinguishedName?: string | null;
  onPremisesSamAccountName?: string | null;
  onPremisesLastSyncDateTime?: string | null;
  assignedLicenses: { skuId: string; disabledPlans: string[] }[];
  deletedDateTime?: string | null;
}

export interface Group {
  id: string;
  displayName: string;
  description: string | null;
  mail: string | null;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes: string[];
  onPremisesSyncEnabled: boolean | null;
}

export interface Contact {
  id: string;
  displayName: string | null;
  mail: string | null;
  companyName: string | null;
  onPremisesSyncEnabled: boolean | null;
}

export interface Domain {
  id: string;
  isVerified: boolean;
  isDefault: boolean;
  isInitial: boolean;
  authenticationType?: string;
}

export interface DnsRecord {
  recordType: string;
  label: string;
  text?: string;
  ttl?: number;
}

export interface Sku {
  skuId: string;
  skuPartNumber: string;
  prepaidUnits: { enabled: number };
  consumedUnits: number;
}

export interface Agent {
  id: string;
  host: string;
  version: string;
  domains: string[];
  lastContact: string | null;
  status: 'active' | 'inactive';
  runStatus: string | null;
  lastError: { code: string; message: string } | null;
}

export type MappingSource =
  | { kind: 'attribute'; name: string }
  | { kind: 'expression'; expression: string }
  | { kind: 'constant'; value: string };

export interface AttributeMapping {
  target: string;
  source: MappingSource;
  applyWhen: 'always' | 'objectCreationOnly';
  defaultValue?: string;
}

export type ObjectType = 'user' | 'group' | 'contact';

export type Scope =
  | { kind: 'domain' }
  | { kind: 'ous'; ous: string[] }
  | { kind: 'groups'; groups: string[] };

export interface Configuration {
  id: string;
  version: number;
  domain: { dnsName: string; netbiosName: string; sid: string };
  enabled: boolean;
  passwordHashSync: boolean;
  passwordWriteback: boolean;
  scope: Scope;
  mappings: Record<ObjectType, AttributeMapping[]>;
  deleteGuard: { enabled: boolean; threshold: number };
  notificationEmail: string | null;
  restartPending: boolean;
  status: {
    state: 'healthy' | 'quarantine' | 'error' | 'disabled';
    reason: string | null;
    lastCycleAt: string | null;
    lastCycleCounts: Record<string, number> | null;
  };
}

export interface ProvisioningStep {
  name: string;
  provisioningStepType: string;
  status: string;
  description: string;
}

export interface ProvisioningEntry {
  id: string;
  activityDateTime: string;
  cycleId: string;
  jobId: string;
  provisioningAction: string;
  cloudsyncAction: string;
  statusInfo: {
    status: string;
    errorInformation: { errorCode: string | null; reason: string | null } | null;
  };
  sourceIdentity: { id: string | null; displayName: string | null; identityType: string };
  targetIdentity: { id: string | null; displayName: string | null; identityType: string };
  modifiedProperties: { displayName: string; oldValue: string | null; newValue: string | null }[];
  provisioningSteps: ProvisioningStep[];
}

export interface ProvisionRun {
  id: string;
  distinguishedName: string;
  state: string;
  steps: { name: string; status: string; detail?: string; description?: string }[];
  error: { code: string; message: string } | null;
}

export interface HeldDeletions {
  cycleId: string | null;
  heldAt: string | null;
  reason: string | null;
  value: { anchor: string; objectType: string; op: string; distinguishedName: string | null }[];
}

export interface Cycle {
  id: string;
  kind: string;
  state: string;
  startedAt: string;
  endedAt: string | null;
  durationSeconds: number | null;
  counts: Record<string, number>;
  reason: string | null;
}

export interface DirectoryAudit {
  id: string;
  activityDateTime: string;
  activityDisplayName: string;
  category?: string;
  result: string;
  resultReason?: string | null;
  initiatedBy?: {
    user?: { userPrincipalName?: string | null; id?: string } | null;
    app?: { displayName?: string | null } | null;
  };
  targetResources?: { id?: string | null; displayName?: string | null; type?: string | null }[];
}

export interface WritebackStatus {
  configurationId: string;
  domain: string;
  passwordWriteback: boolean;
  agents: { id: string; host: string; status: 'active' | 'inactive' }[];
}

export interface PasswordResetPolicy {
  enabledFor: 'none' | 'all' | 'group';
  groupId: string | null;
  methods: ('email' | 'authenticatorApp')[];
  registrationRequired: boolean;
  unlockOnPremisesAccount: boolean;
  keepMustChangeAtNextLogon: boolean;
  /** Read-only: writeback per sync configuration and whether its agents answer. */
  writeback?: WritebackStatus[];
}
