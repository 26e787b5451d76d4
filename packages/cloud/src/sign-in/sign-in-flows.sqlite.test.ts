import { runSignInFlowsContract } from './sign-in-flows-contract.js';

runSignInFlowsContract('sqlite', async () => undefined);
