import { runLockoutContract } from './lockout-contract.js';

runLockoutContract('sqlite', async () => ({}));
