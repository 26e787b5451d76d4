import { Resolver } from 'node:dns/promises';

/** Looks up the TXT records of a name; each record is its strings joined. Empty when there are none. */
export type TxtLookup = (name: string) => Promise<string[]>;

const NO_RECORDS = new Set(['ENOTFOUND', 'ENODATA', 'ESERVFAIL', 'EREFUSED', 'ETIMEOUT', 'ECONNREFUSED']);

/**
 * A TXT lookup through `node:dns`, against the given servers (`ip` or `ip:port`) or the system's.
 * @example
 *   const lookup = createTxtLookup(['127.0.0.1:5353']);
 *   await lookup('contoso.com'); // ['cloudsync-verification=...']
 */
export function createTxtLookup(servers: readonly string[] = [], timeoutMs = 2000): TxtLookup {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
  if (servers.length > 0) resolver.setServers([...servers]);
  return async (name) => {
    try {
      const records = await resolver.resolveTxt(name);
      return records.map((chunks) => chunks.join(''));
    } catch (err) {
      const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
      if (NO_RECORDS.has(code)) return [];
      throw err;
    }
  };
}
