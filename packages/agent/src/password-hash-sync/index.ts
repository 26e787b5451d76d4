// Password hash sync: NT hash → hash-of-hash envelope → cloud.
export { type HashSyncOptions, type HashSyncResult, syncPasswordHashes } from './sync-hashes.js';
