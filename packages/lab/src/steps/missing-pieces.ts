// Steps 7 and 8 use parts other capabilities are still building. Until each is there, its step fails
// naming exactly what is missing — it never pretends to pass.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCloudsync } from '../children.js';

/** True when `cloudsync <words> --help` lists `sub` among its commands. */
export async function hasCommand(words: string[], sub: string): Promise<boolean> {
  try {
    const help = await runCloudsync([...words, '--help']);
    return new RegExp(`^\\s+${sub}\\b`, 'm').test(help);
  } catch {
    return false;
  }
}

/** True when the workspace package `dir` (under packages/) exports `subpath`. */
export function packageExports(dir: string, subpath: string): boolean {
  const file = join(REPO_ROOT, 'packages', dir, 'package.json');
  if (!existsSync(file)) return false;
  // A workspace package.json; only its `exports` map is read.
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { exports?: Record<string, string> };
  return Boolean(pkg.exports?.[subpath]);
}

/** True when the cloud answers `path` with 200. */
export async function cloudServes(cloudUrl: string | undefined, path: string): Promise<boolean> {
  if (!cloudUrl) return false;
  try {
    return (await fetch(`${cloudUrl}${path}`)).ok;
  } catch {
    return false;
  }
}
