import { createTestDatabase } from '../../../../tests/support/postgres.js';
import { runOidcAdapterContract } from './oidc-adapter-contract.js';

runOidcAdapterContract('postgres', async () => ({ databaseUrl: await createTestDatabase('oidc_adapter') }));
