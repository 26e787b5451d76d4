// Benchmark of the cloud's half of an initial sync alone, without a DC: a real cloud (in this process,
// SQLite or PostgreSQL) receives over HTTP, as an agent sends them, pages of 500 changes for N users
// and G groups of 10 members, then the end marker; then the same cycle again (every object unchanged).
// Prints objects/s of each, the end marker's time (memberships, deletions) and the process's CPU time
// (user + system; less sensitive than wall time to other work on a shared machine). Asserts nothing.
//
//   node --import tsx bench/sync/ingest.ts [--users 10000] [--groups 1000] [--database-url postgres://…]
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { type Change, LIMITS, pageAcknowledgementSchema } from '@cloudsync/protocol';
import { startIngestFixture } from '../../packages/cloud/src/sync-ingest/ingest-fixture.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '10000' },
    groups: { type: 'string', default: '1000' },
    'database-url': { type: 'string' },
  },
});
const USERS = Number(args.users);
const GROUPS = Number(args.groups);
const DOMAIN = 'corp.example.test';

const anchorOf = (kind: number, n: number): string => {
  const b = Buffer.alloc(16);
  b.writeUInt32BE(kind, 0);
  b.writeUInt32BE(n, 12);
  return b.toString('base64');
};
const guidOf = (kind: number, n: number): string =>
  `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** A user change shaped like the agent's default mapping of a bench fixture user. */
function user(n: number): Change {
  const sam = `bu${String(n).padStart(6, '0')}`;
  const dn = `CN=${sam},OU=users,OU=bench,DC=corp,DC=example,DC=test`;
  return {
    op: 'upsert',
    objectType: 'user',
    anchor: anchorOf(1, n),
    objectGuid: guidOf(1, n),
    distinguishedName: dn,
    attributes: {
      userPrincipalName: `${sam}@${DOMAIN}`,
      displayName: `Bench User ${n}`,
      givenName: 'Bench',
      surname: `User ${n}`,
      department: `Dept${n % 10}`,
      mail: `${sam}@${DOMAIN}`,
      mailNickname: sam,
      accountEnabled: true,
      onPremisesSamAccountName: sam,
      onPremisesDistinguishedName: dn,
      onPremisesDomainName: DOMAIN,
      onPremisesSecurityIdentifier: `S-1-5-21-1-2-3-${1100 + n}`,
      onPremisesUserPrincipalName: `${sam}@${DOMAIN}`,
    },
  };
}

function group(n: number): Change {
  const sam = `bg${String(n).padStart(5, '0')}`;
  const dn = `CN=${sam},OU=groups,OU=bench,DC=corp,DC=example,DC=test`;
  const anchors = Array.from({ length: 10 }, (_, i) => anchorOf(1, (n * 10 + i) % USERS));
  return {
    op: 'upsert',
    objectType: 'group',
    anchor: anchorOf(2, n),
    objectGuid: guidOf(2, n),
    distinguishedName: dn,
    attributes: {
      displayName: sam,
      mailNickname: sam,
      securityEnabled: true,
      mailEnabled: false,
      onPremisesSamAccountName: sam,
      onPremisesDistinguishedName: dn,
      onPremisesDomainName: DOMAIN,
      onPremisesSecurityIdentifier: `S-1-5-21-1-2-3-${100_000 + n}`,
    },
    members: { mode: 'complete', anchors },
  };
}

const { fx, call, configurationId, version } = await startIngestFixture(DOMAIN, args['database-url']);
try {
  const changes = [
    ...Array.from({ length: USERS }, (_, n) => user(n)),
    ...Array.from({ length: GROUPS }, (_, n) => group(n)),
  ];

  async function fullCycle(): Promise<{
    pagesSeconds: number;
    endSeconds: number;
    cpuSeconds: number;
    results: Record<string, number>;
  }> {
    const cycleId = randomUUID();
    await call('POST', `/agent/v1/configurations/${configurationId}/lease`, { cycleId, kind: 'full' });
    const results: Record<string, number> = {};
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let sequence = 0;
    for (let i = 0; i < changes.length; i += LIMITS.changesPerPage) {
      sequence += 1;
      const res = await call('POST', `/agent/v1/cycles/${cycleId}/pages`, {
        configurationId,
        configurationVersion: version,
        cycleId,
        kind: 'full',
        sequence,
        changes: changes.slice(i, i + LIMITS.changesPerPage),
      });
      if (res.status !== 200) throw new Error(`page ${sequence}: ${res.status} ${res.text.slice(0, 500)}`);
      for (const r of pageAcknowledgementSchema.parse(res.body).results)
        results[r.result] = (results[r.result] ?? 0) + 1;
    }
    const t1 = performance.now();
    const now = new Date().toISOString();
    const end = await call('POST', `/agent/v1/cycles/${cycleId}/end`, {
      configurationId,
      configurationVersion: version,
      cycleId,
      kind: 'full',
      pages: sequence,
      counts: { upserts: changes.length, deletes: 0, outOfScope: 0, unchanged: 0 },
      startedAt: now,
      endedAt: now,
    });
    if (end.status !== 200) throw new Error(`end: ${end.status} ${end.text.slice(0, 500)}`);
    const t2 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    await call('DELETE', `/agent/v1/configurations/${configurationId}/lease?cycleId=${cycleId}`);
    return {
      pagesSeconds: (t1 - t0) / 1000,
      endSeconds: (t2 - t1) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      results,
    };
  }

  const backend = args['database-url'] ? 'PostgreSQL' : 'SQLite';
  console.log(
    `Sync ingest alone, cloud on ${backend}: ${USERS} users + ${GROUPS} groups (10 members each), pages of ${LIMITS.changesPerPage}`,
  );
  for (const label of ['first cycle (creates)', 'second cycle (unchanged)']) {
    const r = await fullCycle();
    const total = r.pagesSeconds + r.endSeconds;
    console.log(
      `  ${label.padEnd(26)} pages ${r.pagesSeconds.toFixed(1)} s (${(changes.length / r.pagesSeconds).toFixed(0)} objects/s), end ${r.endSeconds.toFixed(1)} s; ${(changes.length / total).toFixed(0)} objects/s overall; CPU ${r.cpuSeconds.toFixed(1)} s (${(r.cpuSeconds / total).toFixed(2)} of a core); ${JSON.stringify(r.results)}`,
    );
  }
} finally {
  await fx.close();
}
