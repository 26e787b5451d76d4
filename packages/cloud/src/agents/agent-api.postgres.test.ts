import { createTestDatabase } from '../../../../tests/support/postgres.js';
import { runAgentApiContract } from './agent-api-contract.js';

runAgentApiContract('postgres', () => createTestDatabase('agent_api'));
