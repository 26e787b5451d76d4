import { runResetStoresContract } from './stores-contract.js';

runResetStoresContract('sqlite', async () => ({}));
