// Provisions (first time) and starts a Samba AD DC for development, prints the CLOUDSYNC_TEST_AD
// line to export, and runs until Ctrl-C.
//
//   node --import tsx tests/harness/dev-dc.ts 127.0.0.31 /tmp/dc31
//
// Reusing the folder later skips provisioning (the domain and everything added to it stay).
import { performance } from 'node:perf_hooks';
import { isProvisioned, provisionDc, startDc, TEST_ADMIN_PASSWORD } from './samba.js';

const [ip, dir] = process.argv.slice(2);
if (!ip || !dir) {
  console.error('usage: node --import tsx tests/harness/dev-dc.ts <127.0.0.3x> <folder>');
  process.exit(2);
}

const t0 = performance.now();
if (!isProvisioned(dir)) {
  console.error(`• provisioning a domain into ${dir}`);
  await provisionDc({ dir });
  console.error(`  done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const t1 = performance.now();
const dc = await startDc({ dir, ip, adminPassword: TEST_ADMIN_PASSWORD });
console.error(
  `• DC ${dc.info.realm} up at ${ip} (pid ${dc.pid}) in ${((performance.now() - t1) / 1000).toFixed(1)} s`,
);
console.error('  export this in the shell that runs your tests, then Ctrl-C here to stop the DC:');
console.log(`export CLOUDSYNC_TEST_AD='${JSON.stringify(dc.info)}'`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.error('• stopping the DC');
  await dc.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);
// Keep the event loop alive until a signal arrives.
setInterval(() => undefined, 1 << 30);
