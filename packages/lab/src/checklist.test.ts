import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sidToString } from './ad.js';
import { LabStepError, runChecklistStep } from './checklist.js';

function recorder() {
  const lines: string[] = [];
  return {
    out: { write: (t: string) => void lines.push(t), interactive: false },
    text: () => lines.join(''),
  };
}

test('a passing step prints a check mark, its number, its duration and its note', async () => {
  const log = recorder();
  await runChecklistStep(log.out, 3, { title: 'Cloud', run: async () => 'http://127.0.0.11:8443' }, {});
  assert.match(log.text(), /^• 3\. Cloud…\n✓ 3\. Cloud {2}\(\d+\.\d s\) — http:\/\/127\.0\.0\.11:8443\n$/);
});

test('a failing step prints what went wrong and how to fix it, then rethrows', async () => {
  const log = recorder();
  const failure = new LabStepError('missing Debian packages: samba', 'as root, run:\napt-get install samba');
  await assert.rejects(
    runChecklistStep(log.out, 1, { title: 'Prerequisites', run: () => Promise.reject(failure) }, {}),
    (err) => err === failure,
  );
  assert.match(log.text(), /✗ 1\. Prerequisites {2}\(\d+\.\d s\)\n/);
  assert.match(log.text(), /what went wrong: missing Debian packages: samba\n/);
  assert.match(log.text(), /how to fix it: {3}as root, run:\n {21}apt-get install samba\n/);
});

test('progress notes appear on their own lines without a terminal', async () => {
  const log = recorder();
  await runChecklistStep(
    log.out,
    2,
    {
      title: 'DC',
      run: async (_c, progress) => {
        progress('provisioning');
        return undefined;
      },
    },
    {},
  );
  assert.match(log.text(), /\n {4}provisioning\n✓ 2\. DC/);
});

test('SIDs read as [MS-DTYP] strings', () => {
  // S-1-5-21-1004336348-1177238915-682003330, the example SID of [MS-DTYP] 2.4.2.
  const sid = Buffer.alloc(8 + 4 * 4);
  sid.writeUInt8(1, 0);
  sid.writeUInt8(4, 1);
  sid.writeUIntBE(5, 2, 6);
  [21, 1004336348, 1177238915, 682003330].forEach((v, i) => {
    sid.writeUInt32LE(v, 8 + 4 * i);
  });
  assert.equal(sidToString(sid), 'S-1-5-21-1004336348-1177238915-682003330');
});
