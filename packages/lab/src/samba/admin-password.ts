// Sets the Administrator's password of a stopped DC folder directly in its database, through the
// Samba Python bindings (the Debian python3-samba package). The password travels on stdin.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { smbConfPath } from './samba.js';

const SCRIPT = `
import sys
from samba.samdb import SamDB
from samba.param import LoadParm
from samba.auth import system_session
lp = LoadParm()
lp.load(sys.argv[1])
db = SamDB(url=sys.argv[2], session_info=system_session(), lp=lp)
db.setpassword("(sAMAccountName=Administrator)", sys.stdin.readline().rstrip("\\n"))
`;

/**
 * Gives the Administrator of a provisioned, stopped DC folder a new password.
 * @example await setAdministratorPassword('.lab/dc', password)
 */
export function setAdministratorPassword(dir: string, password: string): Promise<void> {
  const abs = resolve(dir);
  // The smb.conf written at the last start, else the one provisioning wrote.
  const conf = existsSync(smbConfPath(abs)) ? smbConfPath(abs) : join(abs, 'etc', 'smb.conf');
  return new Promise((done, fail) => {
    const child = spawn(
      '/usr/bin/python3',
      ['-c', SCRIPT, conf, `tdb://${join(abs, 'private', 'sam.ldb')}`],
      {
        stdio: ['pipe', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0 ? done() : fail(new Error(`setting the Administrator password failed (${code}): ${stderr}`)),
    );
    child.stdin.end(`${password}\n`);
  });
}
