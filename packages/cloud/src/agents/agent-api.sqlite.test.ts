import { runAgentApiContract } from './agent-api-contract.js';

runAgentApiContract('sqlite', async () => undefined);
