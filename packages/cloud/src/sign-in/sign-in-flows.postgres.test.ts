import { createTestDatabase } from '../../../../tests/support/postgres.js';
import { runSignInFlowsContract } from './sign-in-flows-contract.js';

runSignInFlowsContract('postgres', () => createTestDatabase('sign_in'));
