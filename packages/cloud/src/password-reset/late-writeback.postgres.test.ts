import { createTestDatabase } from '../../../../tests/support/postgres.js';
import { runLateWritebackContract } from './late-writeback-contract.js';

runLateWritebackContract('postgres', () => createTestDatabase('late_writeback'));
