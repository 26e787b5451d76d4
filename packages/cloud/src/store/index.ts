export type { Dialect, Store, StoreLocation } from './open-store.js';
export { isUniqueViolation, migrateToLatest, openStore, toCount } from './open-store.js';
export type * from './schema.js';
export { isSet } from './schema.js';
