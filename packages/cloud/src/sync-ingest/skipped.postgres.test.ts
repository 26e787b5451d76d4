import { createTestDatabase } from '../../../../tests/support/postgres.js';
import { runSkippedContract } from './skipped-contract.js';

runSkippedContract('PostgreSQL', createTestDatabase);
