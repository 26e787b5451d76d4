// For tests only: the agent API and the cloudsync admin API over HTTP, on the whole cloud
// (startApiFixture), as a real agent drives them: its own key pair, client assertions signed with
// jose, bearer tokens from the token endpoint.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  agentJobPollResponseSchema,
  agentRegistrationResponseSchema,
  configurationListSchema,
  cycleLeaseResponseSchema,
  errorBody,
  errorBodySchema,
  heartbeatResponseSchema,
  writebackPollResponseSchema,
} from '@cloudsync/protocol';
import { type ApiFixture, startApiFixture } from '../api/api-fixture.js';
import {
  exchange,
  type Json,
  keyPair,
  registerAgent,
  registerTestAgent,
  type TestAgent,
} from './test-agent.js';
import { enqueueWriteback } from './writeback-jobs.js';

const HEARTBEAT = {
  status: 'idle',
  currentCycle: null,
  versions: { agent: '0.1.0', protocol: '1' },
  configurationVersions: {},
  lastError: null,
};
const WRITEBACK_JOB = {
  kind: 'password-reset' as const,
  anchor: 'AAECAwQFBgcICQoLDA0ODw==',
  distinguishedName: 'CN=Bobby Tables,OU=Staff,DC=jobs,DC=test',
  encrypted:
    'eyJhbGciOiJFQ0RILUVTIiwiZW5jIjoiQTI1NkdDTSJ9..48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3.XFBoMYUZodetZdvTiFvSkQ',
  unlockAccount: true,
  forceChangeAtNextLogon: false,
};
const graphError = (v: unknown) => (v as { error: { code: string; target?: string } }).error;

export function runAgentApiContract(label: string, databaseUrl: () => Promise<string | undefined>): void {
  describe(`agent API (${label})`, () => {
    let fx: ApiFixture;
    before(async () => {
      const url = await databaseUrl();
      fx = await startApiFixture(url ? { databaseUrl: url } : {});
    });
    after(() => fx.close());

    const register = (host: string, domains: string[], token = fx.adminToken) =>
      registerAgent(fx, host, domains, token);
    const newAgent = (host: string, domains: string[]) => registerTestAgent(fx, host, domains);

    const beat = (agent: TestAgent, overrides: Json = {}) =>
      fx.call('POST', `/agent/v1/agents/${agent.agentId}/heartbeat`, {
        token: agent.token,
        body: { ...HEARTBEAT, sentAt: new Date().toISOString(), ...overrides },
      });

    const newConfiguration = async (dnsName: string, extra: Json = {}) => {
      const res = await fx.call('POST', '/v1.0/cloudsync/configurations', {
        body: { domain: { dnsName, netbiosName: 'CORP', sid: 'S-1-5-21-1-2-3' }, ...extra },
      });
      assert.equal(res.status, 201, res.text);
      return res.body as Json & { id: string; version: number };
    };

    test('registration needs a Global Administrator; the agent then gets tokens with its own key', async () => {
      const plain = await fx.userWithRoles(`plain-${label}`, ['UserAdministrator']);
      const refused = await register('nope.corp.test', ['corp.test'], plain.token);
      assert.equal(refused.res.status, 403);
      assert.equal(errorBodySchema.parse(refused.res.body).code, 'FORBIDDEN');
      const anonymous = await fx.call('POST', '/agent/v1/agents', { token: null, body: {} });
      assert.equal(errorBodySchema.parse(anonymous.body).code, 'UNAUTHENTICATED');

      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const leaked = await fx.call('POST', '/agent/v1/agents', {
        body: {
          host: 'x.corp.test',
          version: '0.1.0',
          domains: ['corp.test'],
          publicJwk: privateKey.export({ format: 'jwk' }),
        },
      });
      assert.equal(leaked.status, 400);
      const body = errorBodySchema.parse(leaked.body);
      assert.equal(body.code, 'VALIDATION_FAILED');
      assert.match(String(body.details?.path), /^publicJwk/);

      const agent = await newAgent('dc1.corp.test', ['corp.test']);
      assert.match(agent.clientId, /^cloudsync-agent-/);
      const hb = await beat(agent);
      assert.equal(hb.status, 200, hb.text);
      heartbeatResponseSchema.parse(hb.body);
      const asAdmin = await fx.call('GET', '/agent/v1/configurations');
      assert.equal(asAdmin.status, 403, 'an admin token is not an agent token');
      assert.equal(errorBodySchema.parse(asAdmin.body).code, 'FORBIDDEN');
      const users = await fx.call('GET', '/v1.0/users', { token: agent.token });
      assert.equal(users.status, 403, 'an agent token reaches the agent API only');

      const stranger = keyPair();
      const forged = await exchange({ ...agent, privateKey: stranger.privateKey });
      assert.equal(forged.status, 401);
      assert.equal(forged.body.error, 'invalid_client');
    });

    test('repair replaces the key; deregistration revokes the agent', async () => {
      const old = await newAgent('dc2.corp.test', ['corp.test']);
      const { res, privateKey } = await register('DC2.corp.test', ['corp.test']);
      assert.equal(res.status, 200, res.text);
      const repaired = agentRegistrationResponseSchema.parse(res.body);
      assert.equal(repaired.agentId, old.agentId);
      assert.equal((await exchange(old)).status, 401, 'the old key no longer gets tokens');
      assert.equal((await beat(old)).status, 401, 'nor do its tokens work');
      const fresh = { ...old, clientId: repaired.clientId, privateKey };
      const got = await exchange(fresh);
      assert.equal(got.status, 200);
      const agent = { ...fresh, token: String(got.body.access_token) };
      assert.equal((await beat(agent)).status, 200);

      const other = await newAgent('dc3.corp.test', ['corp.test']);
      const notMine = await fx.call('POST', `/agent/v1/agents/${agent.agentId}/heartbeat`, {
        token: other.token,
        body: { ...HEARTBEAT, sentAt: new Date().toISOString() },
      });
      assert.equal(errorBodySchema.parse(notMine.body).code, 'FORBIDDEN');

      const list = await fx.call('GET', '/v1.0/cloudsync/agents');
      const listed = (list.body as { value: Json[] }).value.find((a) => a.id === agent.agentId);
      assert.equal(listed?.status, 'active');
      assert.equal((await fx.call('DELETE', `/v1.0/cloudsync/agents/${agent.agentId}`)).status, 204);
      assert.equal((await fx.call('GET', `/v1.0/cloudsync/agents/${agent.agentId}`)).status, 404);
      const revoked = await beat(agent);
      assert.equal(revoked.status, 401);
      assert.equal(errorBodySchema.parse(revoked.body).code, 'UNAUTHENTICATED');
      assert.equal((await exchange(agent)).status, 401);
    });

    test('configurations: defaults, errors named by field, version bumps seen in heartbeats', async () => {
      const agent = await newAgent('dc4.cfg.test', ['cfg.test']);
      const bad = await fx.call('POST', '/v1.0/cloudsync/configurations', {
        body: {
          domain: { dnsName: 'x.test', netbiosName: 'X', sid: 'S-1-5-21-1' },
          deleteGuard: { threshold: 0 },
        },
      });
      assert.equal(bad.status, 400);
      assert.equal(graphError(bad.body).target, 'deleteGuard.threshold');
      const noOus = await fx.call('POST', '/v1.0/cloudsync/configurations', {
        body: {
          domain: { dnsName: 'x.test', netbiosName: 'X', sid: 'S-1-5-21-1' },
          scope: { kind: 'ous', ous: [] },
        },
      });
      assert.equal(graphError(noOus.body).target, 'scope.ous');
      const badExpression = await fx.call('POST', '/v1.0/cloudsync/configurations', {
        body: {
          domain: { dnsName: 'x.test', netbiosName: 'X', sid: 'S-1-5-21-1' },
          mappings: {
            user: [
              { target: 'displayName', source: { kind: 'attribute', name: 'cn' } },
              { target: 'mail', source: { kind: 'expression', expression: 'Join("@", [a]' } },
            ],
            group: [],
            contact: [],
          },
        },
      });
      assert.equal(graphError(badExpression.body).target, 'mappings.user[1].source.expression');
      const noDomain = await fx.call('POST', '/v1.0/cloudsync/configurations', { body: {} });
      assert.equal(graphError(noDomain.body).target, 'domain');

      const cfg = await newConfiguration('cfg.test');
      assert.equal(cfg.enabled, false);
      assert.deepEqual(cfg.deleteGuard, { enabled: true, threshold: 500 });
      const user = cfg.mappings as { user: { target: string }[] };
      assert.ok(
        user.user.some((m) => m.target === 'userPrincipalName'),
        'the sync engine’s default mappings',
      );
      assert.equal(graphError((await newConfiguration2('CFG.test')).body).target, 'domain.dnsName');

      const domain = await fx.call('PATCH', `/v1.0/cloudsync/configurations/${cfg.id}`, {
        body: { domain: {} },
      });
      assert.equal(graphError(domain.body).target, 'domain');
      const patched = await fx.call('PATCH', `/v1.0/cloudsync/configurations/${cfg.id}`, {
        body: {
          notificationEmail: 'ops@contoso.test',
          scope: { kind: 'groups', groups: ['CN=Sync,DC=cfg,DC=test'] },
        },
      });
      assert.equal((patched.body as Json).version, 2);
      const hb = heartbeatResponseSchema.parse((await beat(agent)).body);
      assert.deepEqual(hb.configurations, [{ id: cfg.id, version: 2 }]);
      const enabled = await fx.call('POST', `/v1.0/cloudsync/configurations/${cfg.id}/enable`);
      assert.equal((enabled.body as Json).version, 3);
      const pulled = configurationListSchema.parse(
        (await fx.call('GET', '/agent/v1/configurations', { token: agent.token })).body,
      );
      assert.equal(pulled.configurations[0]?.notificationEmail, 'ops@contoso.test');
      assert.equal(pulled.configurations[0]?.enabled, true);
      assert.equal((await fx.call('DELETE', `/v1.0/cloudsync/configurations/${cfg.id}`)).status, 204);
      const audits = await fx.call('GET', '/v1.0/auditLogs/directoryAudits');
      const mine = (
        audits.body as { value: { activityDisplayName: string; targetResources: { id: string }[] }[] }
      ).value
        .filter((a) => a.targetResources[0]?.id === cfg.id)
        .map((a) => a.activityDisplayName);
      assert.deepEqual(mine.sort(), [
        'Add sync configuration',
        'Delete sync configuration',
        'Enable sync configuration',
        'Update sync configuration',
      ]);
      assert.equal((await fx.call('GET', `/v1.0/cloudsync/configurations/${cfg.id}`)).status, 404);

      async function newConfiguration2(dnsName: string) {
        return fx.call('POST', '/v1.0/cloudsync/configurations', {
          body: { domain: { dnsName, netbiosName: 'CORP', sid: 'S-1-5-21-1-2-3' } },
        });
      }
    });

    test('lease over HTTP: one of two agents runs the cycle; restart asks for a full cycle', async () => {
      const [a, b] = [
        await newAgent('dc5.lease.test', ['lease.test']),
        await newAgent('dc6.lease.test', ['lease.test']),
      ];
      const cfg = await newConfiguration('lease.test');
      const lease = (agent: TestAgent, kind = 'delta') =>
        fx.call('POST', `/agent/v1/configurations/${cfg.id}/lease`, {
          token: agent.token,
          body: { cycleId: randomUUID(), kind },
        });
      assert.equal(errorBodySchema.parse((await lease(a)).body).code, 'CONFIG_DISABLED');
      await fx.call('POST', `/v1.0/cloudsync/configurations/${cfg.id}/enable`);

      assert.equal((await fx.call('POST', `/v1.0/cloudsync/configurations/${cfg.id}/restart`)).status, 204);
      const asked = heartbeatResponseSchema.parse((await beat(b)).body);
      assert.deepEqual(asked.runNow, [{ configurationId: cfg.id, kind: 'full' }]);

      const granted = cycleLeaseResponseSchema.parse((await lease(a, 'full')).body);
      assert.equal(granted.state, 'granted');
      const waiting = cycleLeaseResponseSchema.parse((await lease(b)).body);
      assert.equal(waiting.state, 'wait');
      assert.deepEqual(
        heartbeatResponseSchema.parse((await beat(b)).body).runNow,
        [],
        'the full cycle started',
      );

      const outsider = await newAgent('dc7.other.test', ['other.test']);
      assert.equal(errorBodySchema.parse((await lease(outsider)).body).code, 'CONFIG_NOT_FOUND');
      const release = await fx.call(
        'DELETE',
        `/agent/v1/configurations/${cfg.id}/lease?cycleId=${granted.cycleId}`,
        {
          token: a.token,
        },
      );
      assert.equal(release.status, 204);
      assert.equal(cycleLeaseResponseSchema.parse((await lease(b)).body).state, 'granted');
    });

    test('an on-premises error the agent reports shows in its configurations status, naming the fix', async () => {
      const agent = await newAgent('dc9.errors.test', ['errors.test']);
      const cfg = await newConfiguration('errors.test', { passwordHashSync: true, enabled: true });
      const hb = await beat(agent, { status: 'degraded', lastError: errorBody('DRSR_MISSING_RIGHTS') });
      assert.equal(hb.status, 200, hb.text);
      const shown = await fx.call('GET', `/v1.0/cloudsync/configurations/${cfg.id}`);
      const status = (shown.body as { status: { state: string; reason: string } }).status;
      assert.equal(status.state, 'error');
      assert.match(status.reason, /dc9\.errors\.test reports DRSR_MISSING_RIGHTS/);
      assert.match(status.reason, /Replicating Directory Changes All/);
      const logs = await fx.call(
        'GET',
        `/v1.0/auditLogs/provisioning?configurationId=${cfg.id}&status=failure`,
      );
      const entry = (
        logs.body as {
          value: Array<{ statusInfo: { errorInformation: { errorCode: string; reason: string } } }>;
        }
      ).value[0];
      assert.equal(entry?.statusInfo.errorInformation.errorCode, 'DRSR_MISSING_RIGHTS', logs.text);
      assert.match(entry?.statusInfo.errorInformation.reason ?? '', /Replicating Directory Changes All/);
      const unrelated = await beat(agent, { status: 'degraded', lastError: errorBody('RATE_LIMITED') });
      assert.equal(unrelated.status, 200);
      const still = await fx.call('GET', `/v1.0/cloudsync/configurations/${cfg.id}`);
      assert.equal((still.body as { status: { reason: string } }).status.reason, status.reason);
    });

    test('provision on demand and writeback jobs go through long-polls and come back', async () => {
      const agent = await newAgent('dc8.jobs.test', ['jobs.test']);
      const cfg = await newConfiguration('jobs.test', { enabled: true });
      const dn = 'CN=Bobby Tables,OU=Staff,DC=jobs,DC=test';
      const started = fx.call('POST', `/v1.0/cloudsync/configurations/${cfg.id}/provisionOnDemand`, {
        body: { distinguishedName: dn, waitSeconds: 20 },
      });
      const polled = await fx.call('GET', '/agent/v1/jobs?wait=10', { token: agent.token });
      const [job] = agentJobPollResponseSchema.parse(polled.body).jobs;
      assert.equal(job?.distinguishedName, dn);
      const steps = [{ name: 'import', status: 'succeeded', description: 'read from AD' }];
      const answered = await fx.call('POST', `/agent/v1/jobs/${job?.jobId}/result`, {
        token: agent.token,
        body: { jobId: job?.jobId, status: 'succeeded', steps },
      });
      assert.equal(answered.status, 204, answered.text);
      const run = (await started).body as Json;
      assert.equal(run.state, 'succeeded');
      assert.deepEqual(run.steps, steps);
      const again = await fx.call(
        'GET',
        `/v1.0/cloudsync/configurations/${cfg.id}/provisionOnDemand/${job?.jobId}`,
      );
      assert.equal((again.body as Json).state, 'succeeded');

      const jobs = fx.cloud.cloudSync.jobs;
      const jobId = randomUUID();
      const polling = fx.call('GET', '/agent/v1/writeback/jobs?wait=20', { token: agent.token });
      await enqueueWriteback(
        jobs,
        { ...WRITEBACK_JOB, jobId, configurationId: cfg.id },
        { domain: 'jobs.test' },
        30_000,
      );
      const [writeback] = writebackPollResponseSchema.parse((await polling).body).jobs;
      assert.equal(writeback?.jobId, jobId);
      const waiting = jobs.waitForJobResult(jobId, 20_000);
      const result = { jobId, status: 'failed', code: 'WRITEBACK_REFUSED', adErrorCode: '0000052D' };
      const posted = await fx.call('POST', `/agent/v1/writeback/jobs/${jobId}/result`, {
        token: agent.token,
        body: result,
      });
      assert.equal(posted.status, 204, posted.text);
      assert.deepEqual(await waiting, { state: 'failed', result });
    });
  });
}
