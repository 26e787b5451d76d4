import { createTestDatabase } from '../../../../tests/support/postgres.js';
import { runNotificationsContract } from './notifications-contract.js';

runNotificationsContract('PostgreSQL', async () => ({ databaseUrl: await createTestDatabase('notify') }));
