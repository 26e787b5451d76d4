// Step 1: the machine has what the lab needs (Node.js, the Debian Samba packages); as root, missing
// Debian packages are installed, otherwise the exact command is named.
import { type LabStep, LabStepError } from '../checklist.js';
import type { LabContext } from '../lab-context.js';
import {
  aptInstallCommand,
  installDebianPackages,
  isRoot,
  missingDebianPackages,
  SAMBA_PACKAGES,
} from '../prerequisites/prerequisites.mjs';

const MIN_NODE = [20, 19] as const;

function nodeIsRecentEnough(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
}

export const checkPrerequisites: LabStep<LabContext> = {
  title: 'Check prerequisites (Node.js, Samba AD packages)',
  async run(ctx, progress) {
    if (!nodeIsRecentEnough()) {
      throw new LabStepError(
        `Node.js ${process.versions.node} is too old`,
        `install Node.js ${MIN_NODE.join('.')} or later`,
      );
    }
    let missing: string[];
    try {
      missing = missingDebianPackages(SAMBA_PACKAGES);
    } catch (err) {
      throw new LabStepError(
        err instanceof Error ? err.message : String(err),
        `run the lab on Debian 12 (or a derivative) with the packages ${SAMBA_PACKAGES.join(' ')}`,
      );
    }
    if (missing.length === 0) return `Node.js ${process.versions.node}, Samba packages present`;
    const command = aptInstallCommand(missing);
    if (!isRoot() || !ctx.options.installPackages) {
      throw new LabStepError(`missing Debian packages: ${missing.join(' ')}`, `as root, run:\n${command}`);
    }
    progress(`installing ${missing.join(' ')} (apt-get)`);
    try {
      const still = installDebianPackages(missing, { stdio: 'pipe' });
      if (still.length > 0) throw new Error(`still missing after apt-get install: ${still.join(' ')}`);
    } catch (err) {
      throw new LabStepError(err instanceof Error ? err.message : String(err), `run it by hand:\n${command}`);
    }
    return `installed ${missing.join(' ')}`;
  },
};
