// The harness process that `npm test` (scripts/test.mjs) spawns once per run: starts a throw-away
// PostgreSQL and a throw-away Samba AD DC, prints one line `CLOUDSYNC_HARNESS_READY <json env>` on
// stdout, and stops both when its stdin closes (the parent ended or died) or on SIGINT/SIGTERM.
// Set CLOUDSYNC_TEST_KEEP=1 to keep the run folder (logs, DC, data) for a post-mortem.
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type RunningPostgres, startPostgres } from './postgres.js';
import { isAlive, killRunningCommands } from './process.js';
import { provisionDc, type RunningDc, startDcOnFreeAddress, TEST_ADMIN_PASSWORD } from './samba.js';

/**
 * Loopback addresses for the DC that `npm test` starts: 127.0.0.21, or the next free one when
 * another run on this machine holds it (helpers running `npm test` side by side).
 */
export const TEST_DC_IPS = [
  '127.0.0.21',
  '127.0.0.23',
  '127.0.0.24',
  '127.0.0.25',
  '127.0.0.26',
  '127.0.0.27',
];
const PREFIX = 'cloudsync-test-';

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const say = (line: string) => process.stderr.write(`• harness: ${line}\n`);

/** Removes a run folder, its owner.pid last, so that an interrupted removal is swept next time. */
function removeRunDir(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (name !== 'owner.pid') rmSync(join(dir, name), { recursive: true, force: true });
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Removes run folders left by harness processes that no longer exist. */
function sweepStaleRuns(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(tmpdir(), name);
    try {
      const ownerFile = join(dir, 'owner.pid');
      if (existsSync(ownerFile)) {
        const owner = Number.parseInt(readFileSync(ownerFile, 'utf8'), 10);
        if (owner > 0 && !isAlive(owner)) removeRunDir(dir);
      } else if (Date.now() - statSync(dir).mtimeMs > 3_600_000) {
        removeRunDir(dir); // half-removed long ago (a run folder gets its owner.pid at once)
      }
    } catch (err) {
      say(`could not sweep ${dir}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

let dc: RunningDc | undefined;
let pg: RunningPostgres | undefined;
let runDir: string | undefined;
let stopping: Promise<void> | undefined;

function stopAll(code: number): Promise<void> {
  stopping ??= (async () => {
    const t = performance.now();
    killRunningCommands();
    const timed = async (name: string, stop: (() => Promise<void>) | undefined) => {
      if (!stop) return;
      const t0 = performance.now();
      await stop();
      say(`${name} stopped in ${seconds(t0)}`);
    };
    await Promise.allSettled([timed('DC', dc?.stop), timed('PostgreSQL', pg?.stop)]);
    if (runDir && process.env.CLOUDSYNC_TEST_KEEP !== '1') {
      try {
        removeRunDir(runDir);
      } catch (err) {
        say(
          `could not remove ${runDir} (the next run sweeps it): ${err instanceof Error ? err.message : err}`,
        );
      }
    } else if (runDir) say(`kept ${runDir}`);
    say(`stopped in ${seconds(t)}`);
    process.exit(code);
  })();
  return stopping;
}

process.on('SIGINT', () => void stopAll(130));
process.on('SIGTERM', () => void stopAll(143));
process.stdin.on('end', () => void stopAll(0));
process.stdin.on('error', () => void stopAll(0));
process.stdin.resume();

try {
  sweepStaleRuns();
  runDir = mkdtempSync(join(tmpdir(), PREFIX));
  // The postgres user must be able to reach its folder inside.
  chmodSync(runDir, 0o711);
  writeFileSync(join(runDir, 'owner.pid'), `${process.pid}\n`);
  const dcDir = join(runDir, 'dc');
  const t0 = performance.now();
  const startingPg = startPostgres({ dir: join(runDir, 'pg') }).then((started) => {
    pg = started;
    say(`PostgreSQL up on port ${started.port} (pid ${started.pid}) in ${seconds(t0)}`);
  });
  const startingDc = (async () => {
    await provisionDc({ dir: dcDir, adminPassword: TEST_ADMIN_PASSWORD });
    say(`DC provisioned in ${seconds(t0)}`);
    const t1 = performance.now();
    dc = await startDcOnFreeAddress({ dir: dcDir, ips: TEST_DC_IPS, adminPassword: TEST_ADMIN_PASSWORD });
    say(`DC up at ${dc.info.ip} (pid ${dc.pid}) in ${seconds(t1)}`);
  })();
  const results = await Promise.allSettled([startingPg, startingDc]);
  for (const r of results) if (r.status === 'rejected') throw r.reason;
  if (!dc || !pg) throw new Error('harness parts missing after start');
  say(`ready in ${seconds(t0)} (run folder ${runDir})`);
  const env = {
    CLOUDSYNC_TEST_PG_URL: pg.url,
    CLOUDSYNC_TEST_AD: JSON.stringify(dc.info),
    CLOUDSYNC_TEST_RUN_DIR: runDir,
  };
  process.stdout.write(`CLOUDSYNC_HARNESS_READY ${JSON.stringify(env)}\n`);
} catch (err) {
  process.stderr.write(`✗ harness failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  await stopAll(1);
}
