// Starts a throw-away PostgreSQL for development, prints the CLOUDSYNC_TEST_PG_URL line to export,
// and runs until Ctrl-C (which stops it and removes its folder).
//
//   node --import tsx tests/harness/dev-pg.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from './postgres.js';

const dir = mkdtempSync(join(tmpdir(), 'cloudsync-devpg-'));
// The postgres user must be able to reach its folder inside.
await chmod(dir, 0o711);
const pg = await startPostgres({ dir: join(dir, 'pg') });
console.error(`• PostgreSQL up on 127.0.0.1:${pg.port} (pid ${pg.pid}); Ctrl-C stops it`);
console.log(`export CLOUDSYNC_TEST_PG_URL='${pg.url}'`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);
setInterval(() => undefined, 1 << 30);
