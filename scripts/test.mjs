#!/usr/bin/env node
// `npm test`: installs what is missing, checks lint and types, starts the real parts once
// (PostgreSQL, Samba AD DC), runs every *.test.ts with node's test runner, and stops what it started.
// Dependency-free on purpose: it must run before `npm ci` has.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

function ensureNodeModules() {
  const marker = join(root, 'node_modules/.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (!existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs) {
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

ensureNodeModules();
console.log('• lint and format (biome)');
run('npx', ['biome', 'check', '.']);
console.log('• types (tsc)');
run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);

const only = process.argv.slice(2);
const files =
  only.length > 0 ? only : [...findTests(join(root, 'packages')), ...findTests(join(root, 'tests'))];
console.log(`• ${files.length} test files`);
run('node', ['--import', 'tsx', '--test', '--test-reporter=spec', ...files]);
