#!/usr/bin/env node
// `npm run lab` from a fresh clone: installs the npm packages when they are missing or older than the
// lock (the `cloudsync` command runs TypeScript through tsx, which comes from them), then runs
// `cloudsync lab` with the given flags. Dependency-free until `npm ci` has run.
import { installNpmPackages, npmPackagesOutdated } from '../src/prerequisites/prerequisites.mjs';

const root = new URL('../../../', import.meta.url).pathname;

if (npmPackagesOutdated(root)) {
  console.log('• installing npm packages (npm ci)');
  try {
    installNpmPackages(root);
  } catch (err) {
    console.error(`✗ ${err.message}: check the network and the npm registry, then run \`npm run lab\` again`);
    process.exit(1);
  }
}
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../../cli/src/main.ts');
await main([process.argv[0], 'cloudsync', 'lab', ...process.argv.slice(2)]);
