import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Change, SyncConfiguration } from '@cloudsync/protocol';
import { createChangePlanner, DEFAULT_MAPPINGS } from '@cloudsync/sync-engine';
import pino from 'pino';
import type { AdObject } from '../ad/attributes.js';
import { openLocalStore } from '../state/local-store.js';
import { planChanges } from './plan-changes.js';
import type { SourceItem } from './read-source.js';
import { toSourceEntry } from './source-entry.js';

const ROOT = 'DC=corp,DC=example,DC=test';
const CHOSEN = `CN=Chosen,OU=Groups,${ROOT}`;
const configuration: Pick<SyncConfiguration, 'domain' | 'scope' | 'mappings'> = {
  domain: { dnsName: 'corp.example.test', netbiosName: 'CORP', sid: 'S-1-5-21-1-2-3' },
  scope: { kind: 'groups', groups: [CHOSEN] },
  mappings: DEFAULT_MAPPINGS,
};

function adObject(n: number, kind: 'user' | 'group', cn: string, text: AdObject['text'] = {}): AdObject {
  const objectGuid = Buffer.alloc(16, n);
  return {
    kind,
    dn: `CN=${cn},OU=Staff,${ROOT}`,
    objectGuid,
    guid: objectGuid.toString('hex'),
    text: {
      objectClass: ['top', kind === 'user' ? 'user' : 'group'],
      cn: [cn],
      sAMAccountName: [cn.toLowerCase()],
      ...(kind === 'user' ? { userAccountControl: ['512'] } : { groupType: ['-2147483646'] }),
      ...text,
    },
    binary: { objectGUID: [objectGuid] },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'cloudsync-plan-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('toSourceEntry: the chosen groups reached through nesting join memberOf for the scope only', () => {
  const user = adObject(1, 'user', 'Nina', { memberOf: [`CN=Nested,OU=Groups,${ROOT}`] });
  const entry = toSourceEntry(user, undefined, [CHOSEN]);
  assert.deepEqual(entry.memberOf, [`CN=Nested,OU=Groups,${ROOT}`, CHOSEN]);
  assert.deepEqual(
    entry.attributes.memberOf,
    [`CN=Nested,OU=Groups,${ROOT}`],
    'the attribute stays as AD has it',
  );
  assert.deepEqual(toSourceEntry(user).memberOf, [`CN=Nested,OU=Groups,${ROOT}`]);
});

test('planChanges: nested members are in scope, others ignored, an exported one that left goes out of scope', async () => {
  const store = openLocalStore(dir);
  const planner = createChangePlanner(configuration);
  const log = pino({ level: 'silent' });
  const nested = adObject(2, 'user', 'Nested', { memberOf: [`CN=Inner,OU=Groups,${ROOT}`] });
  const stranger = adObject(3, 'user', 'Stranger');
  const leaver = adObject(4, 'user', 'Leaver');
  const inner = adObject(5, 'group', 'Inner', { memberOf: [CHOSEN], member: [nested.dn] });
  const plan = async (items: SourceItem[]) => {
    const emitted: Change[] = [];
    const outcome = await planChanges(
      {
        planner,
        store,
        configurationId: 'cfg',
        fullImport: false,
        log,
        emit: async (c) => {
          emitted.push(c);
        },
      },
      (async function* () {
        yield* items;
      })(),
    );
    return { emitted, outcome };
  };

  const first = await plan([
    { kind: 'object', object: nested, inGroups: [CHOSEN] },
    { kind: 'object', object: stranger },
    { kind: 'object', object: leaver, inGroups: [CHOSEN] },
    { kind: 'object', object: inner, inGroups: [CHOSEN] },
  ]);
  assert.deepEqual(
    first.emitted.map((c) => [c.op, c.distinguishedName]),
    [
      ['upsert', nested.dn],
      ['upsert', leaver.dn],
      ['upsert', inner.dn],
    ],
  );
  const group = first.emitted[2];
  assert.ok(group?.op === 'upsert');
  assert.deepEqual(group.members, { mode: 'complete', anchors: [Buffer.alloc(16, 2).toString('base64')] });
  store.commitCycle({
    configurationId: 'cfg',
    configurationVersion: 1,
    cycleId: 'c1',
    exported: first.outcome.exported,
    forgotten: first.outcome.forgotten,
    replaceAll: false,
    now: new Date(),
  });

  const second = await plan([{ kind: 'object', object: leaver }]);
  assert.deepEqual(
    second.emitted.map((c) => [c.op, c.distinguishedName]),
    [['out-of-scope', leaver.dn]],
  );
  assert.deepEqual(second.outcome.forgotten, [Buffer.alloc(16, 4).toString('base64')]);
  assert.equal(second.outcome.counts.outOfScope, 1);
  store.close();
});

test('planChanges: an object whose mapping fails is sent as skipped, keeps its last export and its group membership', async () => {
  const store = openLocalStore(mkdtempSync(join(dir, 'skipped-')));
  const hireYear = {
    target: 'jobTitle',
    source: { kind: 'expression', expression: 'FormatDateTime([description], , "yyyyMMdd", "yyyy")' },
    applyWhen: 'always',
  } as const;
  const planner = createChangePlanner({
    ...configuration,
    scope: { kind: 'domain' },
    mappings: { ...DEFAULT_MAPPINGS, user: [...DEFAULT_MAPPINGS.user, hireYear] },
  });
  const plan = async (items: SourceItem[], fullImport: boolean) => {
    const emitted: Change[] = [];
    const outcome = await planChanges(
      {
        planner,
        store,
        configurationId: 'cfg',
        fullImport,
        log: pino({ level: 'silent' }),
        emit: async (c) => {
          emitted.push(c);
        },
      },
      (async function* () {
        yield* items;
      })(),
    );
    return { emitted, outcome };
  };
  const good = adObject(11, 'user', 'Hana', { description: ['20240301'] });
  const odd = { ...good, text: { ...good.text, description: ['soon'] } };
  const team = adObject(12, 'group', 'Team', { member: [good.dn] });
  const first = await plan(
    [
      { kind: 'object', object: good },
      { kind: 'object', object: team },
    ],
    true,
  );
  const upsert = first.emitted[0];
  assert.ok(upsert?.op === 'upsert');
  assert.equal(upsert.attributes.jobTitle, '2024');
  store.commitCycle({
    configurationId: 'cfg',
    configurationVersion: 1,
    cycleId: 'c1',
    exported: first.outcome.exported,
    forgotten: [],
    replaceAll: true,
    now: new Date(),
  });

  const second = await plan(
    [
      { kind: 'object', object: odd },
      { kind: 'object', object: team },
    ],
    true,
  );
  const skipped = second.emitted[0];
  assert.ok(skipped?.op === 'skipped', JSON.stringify(second.emitted));
  assert.equal(skipped.anchor, Buffer.alloc(16, 11).toString('base64'));
  assert.equal(skipped.distinguishedName, good.dn);
  assert.equal(skipped.code, 'OBJECT_NOT_MAPPED');
  assert.match(skipped.reason, /the mapping of jobTitle failed: FormatDateTime: "soon" does not match/);
  assert.equal(second.outcome.counts.errors, 1);
  assert.equal(second.outcome.counts.upserts, 1, 'only the group');
  const group = second.emitted[1];
  assert.ok(group?.op === 'upsert');
  assert.deepEqual(group.members, { mode: 'complete', anchors: [skipped.anchor] }, 'still a member');
  assert.deepEqual(
    second.outcome.exported.map((e) => [e.anchor, e.attributes.jobTitle]),
    [
      [skipped.anchor, '2024'],
      [Buffer.alloc(16, 12).toString('base64'), undefined],
    ],
    'the full cycle keeps the last export of the skipped user',
  );
  store.close();
});
