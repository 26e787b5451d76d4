// Large groups for tests: adding 1,600 objects over LDAP takes Samba a minute or more on a busy
// 2-core machine, so they are added on the DC's own database instead (needs the DC folder here, as
// for npm test and dev-dc.ts).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { smbConfPath } from '../harness/samba.js';
import { adFromEnv } from './ad.js';

// Small transactions on the DC's own database (as the harness does for ACLs) take a fraction of the
// CPU. Each holds the database lock for about a second at most, with a pause after it, so the other
// test files' LDAP writes are not starved meanwhile.
const BULK_ADD = `
import sys, time
from samba.param import LoadParm
from samba.samdb import SamDB
from samba.auth import system_session
conf, ou, group, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
lp = LoadParm(); lp.load(conf)
db = SamDB(url=lp.samdb_url(), lp=lp, session_info=system_session())
members = ["CN=m%04d,%s" % (i, ou) for i in range(count)]
def batch(records, apply):
    db.transaction_start()
    try:
        for r in records: apply(r)
        db.transaction_commit()
    except Exception:
        db.transaction_cancel()
        raise
    time.sleep(0.1)
for k in range(0, count, 25):
    batch(members[k:k + 25], lambda dn: db.add_ldif("dn: %s\\nobjectClass: contact\\n" % dn))
gdn = "CN=%s,%s" % (group, ou)
batch([gdn], lambda dn: db.add_ldif("dn: %s\\nobjectClass: group\\nsAMAccountName: %s\\n" % (dn, group)))
for k in range(0, count, 400):
    chunk = "".join("member: %s\\n" % m for m in members[k:k + 400])
    batch([chunk], lambda c: db.modify_ldif("dn: %s\\nchangetype: modify\\nadd: member\\n%s" % (gdn, c)))
`;

/**
 * Adds `count` contacts (`CN=m0000`, …) and a group `name` holding them all under `ou`.
 * @example const { group, members } = await addBigGroup(ou, uniqueName('big'), 1600);
 */
export async function addBigGroup(
  ou: string,
  name: string,
  count: number,
): Promise<{ group: string; members: string[] }> {
  const members = Array.from({ length: count }, (_, i) => `CN=m${String(i).padStart(4, '0')},${ou}`);
  const child = spawn(
    '/usr/bin/python3',
    ['-c', BULK_ADD, smbConfPath(adFromEnv().dir), ou, name, String(count)],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, stderr);
  return { group: `CN=${name},${ou}`, members };
}
