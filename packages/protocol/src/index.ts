export {
  hashOfHash,
  hashOfHashSync,
  ntHash,
  PHS_ITERATIONS,
  PHS_SALT_BYTES,
  PHS_SCHEME,
  parseHashOfHash,
  verifyHashOfHash,
} from './password-hash-sync/hash-of-hash.js';
export { md4 } from './password-hash-sync/md4.js';
