// The install wizard: `cloudsync agent install` and `uninstall`.
export { deregisterAgent, registerAgent, signInAdmin } from './cloud-admin.js';
export { dcUrl, InstallCancelledError, type InstallOptions, type InstallResult, install } from './install.js';
export { formatPlan, type InstallPlan, planInstall } from './install-plan.js';
export { createPrompter, type Prompter } from './prompts.js';
export { type UninstallOptions, uninstall } from './uninstall.js';
