// Steps 7 and 8 use parts other capabilities are still building. Until each is there, its step fails
// naming exactly what is missing — it never pretends to pass.
import { runCloudsync } from '../children.js';

/** True when `cloudsync <words> --help` lists `sub` among its commands. */
export async function hasCommand(words: string[], sub: string): Promise<boolean> {
  try {
    const help = await runCloudsync([...words, '--help']);
    return new RegExp(`^\\s+${sub}\\b`, 'm').test(help);
  } catch {
    return false;
  }
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
