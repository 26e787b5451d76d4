import type { AgentJob, AgentJobResult } from './agents/agent-jobs.js';
import type { CycleLeaseRequest, CycleLeaseResponse } from './agents/cycle-lease.js';
import type { HeartbeatRequest } from './agents/heartbeat.js';
import type { AgentRegistrationRequest } from './agents/registration.js';
import type { CycleAcknowledgement, PageAcknowledgement } from './change-sets/acknowledgement.js';
import type { ChangeSetPage, CycleEnd } from './change-sets/change-set.js';
import type { HashEnvelopeBatch } from './password-hash-sync/envelope-batch.js';
import type { SyncConfiguration } from './sync-configuration/sync-configuration.js';
import type { WritebackJob, WritebackResult } from './writeback/writeback-job.js';

const configurationId = '2b1d5c8e-6f0a-4c3b-9d7e-1a2b3c4d5e6f';
const cycleId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const anchor = 'AAECAwQFBgcICQoLDA0ODw==';

/**
 * One valid instance of each message, for documentation and for tests on either side.
 * @example
 *   const page = structuredClone(protocolExamples.changeSetPage);
 */
export const protocolExamples = Object.freeze({
  registration: {
    host: 'dc-sync01.corp.contoso.com',
    version: '0.1.0',
    publicJwk: {
      kty: 'EC',
      crv: 'P-256',
      x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
      y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
      kid: 'agent-1',
    },
    domains: ['corp.contoso.com'],
  } satisfies AgentRegistrationRequest,
  heartbeat: {
    status: 'syncing',
    currentCycle: {
      cycleId,
      configurationId,
      kind: 'delta',
      startedAt: '2026-11-25T15:00:00.000Z',
      pagesSent: 2,
    },
    versions: { agent: '0.1.0', protocol: '1', node: '20.20.0' },
    configurationVersions: { [configurationId]: 3 },
    lastError: null,
    sentAt: '2026-11-25T15:00:05.000Z',
  } satisfies HeartbeatRequest,
  configuration: {
    id: configurationId,
    version: 3,
    domain: {
      dnsName: 'corp.contoso.com',
      netbiosName: 'CORP',
      sid: 'S-1-5-21-1004336348-1177238915-682003330',
    },
    enabled: true,
    passwordHashSync: true,
    passwordWriteback: true,
    scope: {
      kind: 'ous',
      ous: ['OU=Staff,DC=corp,DC=contoso,DC=com'],
      attributeFilters: [
        { clauses: [{ attribute: 'department', operator: 'NOT_EQUALS', value: 'Contractors' }] },
      ],
    },
    mappings: {
      user: [
        { target: 'displayName', source: { kind: 'attribute', name: 'displayName' }, applyWhen: 'always' },
        {
          target: 'mailNickname',
          source: { kind: 'expression', expression: 'Coalesce([mailNickname], [sAMAccountName])' },
          applyWhen: 'always',
        },
      ],
      group: [],
      contact: [],
    },
    deleteGuard: { enabled: true, threshold: 500 },
    notificationEmail: 'admin@contoso.com',
    updatedAt: '2026-11-25T14:00:00.000Z',
  } satisfies SyncConfiguration,
  changeSetPage: {
    configurationId,
    configurationVersion: 3,
    cycleId,
    kind: 'delta',
    sequence: 1,
    changes: [
      {
        op: 'upsert',
        objectType: 'user',
        anchor,
        objectGuid: '03020100-0504-0706-0809-0a0b0c0d0e0f',
        distinguishedName: 'CN=Bobby Tables,OU=Staff,DC=corp,DC=contoso,DC=com',
        attributes: {
          displayName: 'Bobby Tables',
          accountEnabled: true,
          proxyAddresses: ['SMTP:bobby@contoso.com'],
        },
      },
      {
        op: 'upsert',
        objectType: 'group',
        anchor: 'EBESExQVFhcYGRobHB0eHw==',
        objectGuid: '13121110-1514-1716-1819-1a1b1c1d1e1f',
        distinguishedName: 'CN=Staff,OU=Groups,DC=corp,DC=contoso,DC=com',
        attributes: { displayName: 'Staff', securityEnabled: true, mailEnabled: false },
        members: { mode: 'incremental', add: [anchor], remove: [] },
      },
      {
        op: 'delete',
        objectType: 'contact',
        anchor: 'ICEiIyQlJicoKSorLC0uLw==',
        objectGuid: '23222120-2524-2726-2829-2a2b2c2d2e2f',
      },
      {
        op: 'skipped',
        objectType: 'user',
        anchor: 'MDEyMzQ1Njc4OTo7PD0+Pw==',
        objectGuid: '33323130-3534-3736-3839-3a3b3c3d3e3f',
        distinguishedName: 'CN=Ann Odd,OU=Staff,DC=corp,DC=contoso,DC=com',
        code: 'OBJECT_NOT_MAPPED',
        reason:
          'The mapping of department failed: Mid: the start position must be at least 1 (position 1). Fix the value in AD or the mapping.',
      },
    ],
  } satisfies ChangeSetPage,
  pageAcknowledgement: {
    cycleId,
    sequence: 1,
    duplicate: false,
    committedThroughSequence: 1,
    results: [
      {
        index: 0,
        anchor,
        result: 'applied',
        code: 'UPN_CONFLICT',
        reason: 'bobby@contoso.com is taken; assigned bobby1@contoso.com',
      },
    ],
    cycleState: 'open',
  } satisfies PageAcknowledgement,
  cycleEnd: {
    configurationId,
    configurationVersion: 3,
    cycleId,
    kind: 'delta',
    pages: 1,
    counts: { upserts: 2, deletes: 1, outOfScope: 0, unchanged: 40, skipped: 1 },
    startedAt: '2026-11-25T15:00:00.000Z',
    endedAt: '2026-11-25T15:00:04.000Z',
  } satisfies CycleEnd,
  cycleAcknowledgement: {
    cycleId,
    cycleState: 'accepted',
    advanceCursor: true,
    missingSequences: [],
    counts: { applied: 3, skipped: 0, conflicts: 0, errors: 0, pendingDeletes: 0 },
  } satisfies CycleAcknowledgement,
  hashBatch: {
    configurationId,
    batchId: 'a3bb189e-8bf9-3888-9912-ace4e6543002',
    items: [
      {
        anchor,
        envelope: '$pbkdf2-sha256-nt$i=1000$AAECAwQFBgcICQ==$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=',
        pwdLastSet: '2026-11-20T09:30:00.000Z',
      },
    ],
  } satisfies HashEnvelopeBatch,
  writebackJob: {
    jobId: 'e4eaaaf2-d142-11e1-b3e4-080027620cdd',
    configurationId,
    kind: 'password-reset',
    anchor,
    distinguishedName: 'CN=Bobby Tables,OU=Staff,DC=corp,DC=contoso,DC=com',
    encrypted:
      'eyJhbGciOiJFQ0RILUVTIiwiZW5jIjoiQTI1NkdDTSJ9..48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6ji.XFBoMYUZodetZdvTiFvSkQ',
    unlockAccount: true,
    forceChangeAtNextLogon: false,
    expiresAt: '2026-11-25T15:02:00.000Z',
  } satisfies WritebackJob,
  writebackResult: {
    jobId: 'e4eaaaf2-d142-11e1-b3e4-080027620cdd',
    status: 'failed',
    code: 'WRITEBACK_REFUSED',
    adErrorCode: '0000052D',
    adMessage:
      'Unable to update the password. The value provided does not meet the length, complexity, or history requirements of the domain.',
  } satisfies WritebackResult,
  cycleLeaseRequest: { cycleId, kind: 'delta' } satisfies CycleLeaseRequest,
  cycleLeaseResponse: {
    state: 'granted',
    cycleId,
    expiresAt: '2026-11-25T15:05:00.000Z',
  } satisfies CycleLeaseResponse,
  agentJob: {
    jobId: '9b2f4c1e-5d3a-4e8b-a7c6-0f1e2d3c4b5a',
    kind: 'provision-on-demand',
    configurationId,
    distinguishedName: 'CN=Bobby Tables,OU=Staff,DC=corp,DC=contoso,DC=com',
    expiresAt: '2026-11-25T15:02:00.000Z',
  } satisfies AgentJob,
  agentJobResult: {
    jobId: '9b2f4c1e-5d3a-4e8b-a7c6-0f1e2d3c4b5a',
    status: 'succeeded',
    steps: [{ name: 'scope', status: 'succeeded', description: 'In scope: under OU=Staff' }],
  } satisfies AgentJobResult,
});
