import { runOidcAdapterContract } from './oidc-adapter-contract.js';

runOidcAdapterContract('sqlite', async () => ({ sqliteFile: ':memory:' }));
