// What the cloud shows of a synced configuration, through the admin API, for the end-to-end tests:
// provisioning-log entries, groups and their members, synced users (every page followed).
import assert from 'node:assert/strict';
import type { AgentFixture } from './agent-fixture.js';

/** One provisioning-log entry, as much of it as the tests read. */
export interface LogEntry {
  provisioningAction: string;
  cloudsyncAction: string;
  statusInfo: {
    status: string;
    errorInformation: { errorCode: string | null; reason: string | null } | null;
  };
  sourceIdentity: { id: string; displayName: string | null; identityType: string };
  targetIdentity: { id: string | null; displayName: string | null };
  modifiedProperties: { displayName: string; oldValue: string | null; newValue: string | null }[];
  provisioningSteps: { name: string; status: string; description: string }[];
}

/** Every item of a Graph-shaped list, following `@odata.nextLink`. */
export async function listAll<T>(a: AgentFixture, path: string): Promise<T[]> {
  const out: T[] = [];
  let next: string | undefined = path;
  while (next) {
    const res = await a.fx.call('GET', next);
    assert.equal(res.status, 200, `${next}: ${res.text}`);
    const body = res.body as { value: T[]; '@odata.nextLink'?: string };
    out.push(...body.value);
    const link = body['@odata.nextLink'];
    next = link ? link.slice(link.indexOf('/v1.0/')) : undefined;
  }
  return out;
}

/** The configuration's provisioning-log entries about `identity` (anchor, cloud id, UPN or DN), newest first. */
export function logEntries(a: AgentFixture, identity: string, query = ''): Promise<LogEntry[]> {
  return listAll<LogEntry>(
    a,
    `/v1.0/auditLogs/provisioning?configurationId=${a.configurationId}&identity=${encodeURIComponent(identity)}${query}`,
  );
}

/** The text a person reads in an entry: reason and step descriptions. */
export function described(entry: LogEntry): string {
  return [
    entry.statusInfo.errorInformation?.reason ?? '',
    ...entry.provisioningSteps.map((s) => s.description),
  ].join(' ');
}

/** The cloud groups with this display name. */
export async function cloudGroups(
  a: AgentFixture,
  name: string,
): Promise<{ id: string; description?: string }[]> {
  return listAll(a, `/v1.0/groups?$filter=displayName eq '${name.replaceAll("'", "''")}'`);
}

/** The one cloud group with this display name. */
export async function cloudGroup(
  a: AgentFixture,
  name: string,
): Promise<{ id: string; description?: string }> {
  const groups = await cloudGroups(a, name);
  assert.equal(groups.length, 1, `one cloud group named ${name}: ${JSON.stringify(groups)}`);
  const [group] = groups;
  assert.ok(group);
  return group;
}

/** A cloud group's member ids, sorted. */
export async function memberIds(a: AgentFixture, groupId: string): Promise<string[]> {
  const members = await listAll<{ id: string }>(a, `/v1.0/groups/${groupId}/members?$top=999`);
  return members.map((m) => m.id).sort();
}

/** Every synced user: id, UPN and immutable id, sorted by id. */
export async function syncedUsers(
  a: AgentFixture,
): Promise<{ id: string; userPrincipalName: string; onPremisesImmutableId: string }[]> {
  const users = await listAll<{ id: string; userPrincipalName: string; onPremisesImmutableId: string }>(
    a,
    '/v1.0/users?$filter=onPremisesSyncEnabled eq true&$select=id,userPrincipalName,onPremisesImmutableId&$top=999',
  );
  return users.sort((x, y) => x.id.localeCompare(y.id));
}
