#!/usr/bin/env node
// `npm test`: installs what is missing, checks lint and types, starts the real parts once
// (PostgreSQL, Samba AD DC), runs every *.test.ts with node's test runner, and stops what it started.
// Dependency-free on purpose: it must run before `npm ci` has.
//
//   npm test                      everything
//   npm test -- path/a.test.ts    only these files (the harness still starts)
//
// The harness itself is tests/harness/start.ts (TypeScript, so it runs after `npm ci`); see
// tests/harness/README.md.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import {
  aptInstallCommand,
  installDebianPackages,
  isRoot,
  missingDebianPackages,
  npmPackagesOutdated,
  TEST_PACKAGES,
} from '../packages/lab/src/prerequisites/prerequisites.mjs';

const root = new URL('..', import.meta.url).pathname;
const started = Date.now();

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

function ensureDebianPackages() {
  try {
    const missing = missingDebianPackages(TEST_PACKAGES);
    if (missing.length === 0) return;
    if (!isRoot()) {
      console.error(
        `✗ missing Debian packages: ${missing.join(' ')}\n  install them as root:\n    ${aptInstallCommand(missing)}`,
      );
      process.exit(1);
    }
    console.log(`• installing Debian packages: ${missing.join(' ')}`);
    const still = installDebianPackages(missing);
    if (still.length > 0) {
      console.error(`✗ still missing after apt-get install: ${still.join(' ')}`);
      process.exit(1);
    }
  } catch (err) {
    console.error(`✗ ${err.message}`);
    process.exit(1);
  }
}

function ensureNodeModules() {
  if (npmPackagesOutdated(root)) {
    console.log('• installing npm packages (npm ci)');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
}

function findTests(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

/**
 * Spawns the harness process; resolves with the environment it prints once PostgreSQL and the DC
 * answer. Its stdin stays a pipe from us: when this process ends, however it ends, the harness sees
 * EOF and stops what it started.
 */
function startHarness() {
  const harness = spawn('node', ['--import', 'tsx', 'tests/harness/start.ts'], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const ready = new Promise((resolve, reject) => {
    const lines = createInterface({ input: harness.stdout });
    lines.on('line', (line) => {
      const marker = 'CLOUDSYNC_HARNESS_READY ';
      if (line.startsWith(marker)) resolve(JSON.parse(line.slice(marker.length)));
      else console.log(line);
    });
    harness.once('exit', (code, signal) =>
      reject(new Error(`harness exited (${code ?? signal}) before it was ready`)),
    );
  });
  const stop = () =>
    new Promise((resolve) => {
      if (harness.exitCode !== null || harness.signalCode !== null) return resolve();
      // Stopping takes about a second; removing the run folder can take long on a busy disk.
      const timer = setTimeout(() => harness.kill('SIGKILL'), 180_000);
      harness.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      harness.stdin.end();
    });
  return { ready, stop };
}

const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

async function main() {
  ensureDebianPackages();
  ensureNodeModules();
  run('npm', ['run', 'build', '--silent', '-w', '@cloudsync/admin-ui']); // the admin center the cloud serves at /admin
  console.log('• lint and format (biome)');
  run('npx', ['biome', 'check', '.']);
  console.log('• types (tsc)');
  run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);

  const only = process.argv.slice(2);
  const files =
    only.length > 0 ? only : [...findTests(join(root, 'packages')), ...findTests(join(root, 'tests'))];

  console.log('• starting PostgreSQL and a Samba AD DC');
  const harness = startHarness();
  let runner;
  let signalled;
  const onSignal = (sig) => {
    signalled ??= sig;
    if (runner && runner.exitCode === null) runner.kill(sig);
    else void harness.stop().then(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let env;
  try {
    env = await harness.ready;
  } catch (err) {
    console.error(`✗ ${err.message}`);
    await harness.stop();
    process.exit(1);
  }
  if (signalled) return;

  console.log(`• ${files.length} test files`);
  // setpriv --pdeathsig: should this script be killed outright, the runner gets SIGTERM instead of
  // running on against a DC and a PostgreSQL that are gone.
  runner = spawn(
    'setpriv',
    [
      '--pdeathsig=SIGTERM',
      '--',
      process.execPath,
      '--import',
      'tsx',
      '--test',
      // Files share one DC and one PostgreSQL on 2 cores: two at a time keeps the suite stable.
      '--test-concurrency=2',
      // A hung test or a leaked handle must not hold CI for its whole budget.
      '--test-timeout=600000',
      '--test-force-exit',
      '--test-reporter=spec',
      ...files,
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } },
  );
  const code = await new Promise((resolve) => {
    runner.once('exit', (c, sig) => resolve(c ?? (sig === 'SIGINT' ? 130 : 143)));
  });
  await harness.stop();
  console.log(`• npm test finished in ${elapsed()} (exit ${code})`);
  process.exit(code);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
