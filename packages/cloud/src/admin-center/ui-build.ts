import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `packages/admin-ui/dist`: what `npm run build -w @cloudsync/admin-ui` writes. */
export const ADMIN_UI_DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../../../admin-ui/dist');

/** The command that builds the admin center, as told to people when the build is missing. */
export const BUILD_COMMAND = 'npm run build -w @cloudsync/admin-ui';

export function isAdminUiBuilt(distDir: string = ADMIN_UI_DIST): boolean {
  return existsSync(join(distDir, 'index.html'));
}

/**
 * Builds the admin center when its build is missing (a fresh clone); a no-op otherwise. Used by
 * `cloudsync cloud serve` and the test runner, so nobody has to remember the build step.
 * @example
 *   ensureAdminUiBuilt((line) => console.log(line));
 */
export function ensureAdminUiBuilt(log: (line: string) => void = () => {}): boolean {
  if (isAdminUiBuilt()) return true;
  log(`• building the admin center (${BUILD_COMMAND})`);
  const root = resolve(ADMIN_UI_DIST, '../../..');
  const r = spawnSync('npm', ['run', 'build', '-w', '@cloudsync/admin-ui'], { cwd: root, stdio: 'inherit' });
  return r.status === 0 && isAdminUiBuilt();
}
