// Fine-grained password policies (PSOs) on the test DC, applied to one account only: what
// `samba-tool domain passwordsettings pso create … && pso apply …` does, over LDAPS, so the shared
// DC's domain-wide policy is never touched. Remove each PSO when done.
import { Attribute, Change } from 'ldapts';
import { adFromEnv, withAdmin } from './ad.js';
import { uniqueName } from './unique.js';

const DAY_100NS = 864_000_000_000n;

/** A PSO applied to some accounts; `remove()` deletes it. */
export interface TestPso {
  dn: string;
  remove(): Promise<void>;
}

/** AD's PSO intervals are negative counts of 100 ns. */
function days(n: number): string {
  return String(-BigInt(Math.round(n * 24 * 60)) * (DAY_100NS / 1440n));
}

/**
 * Creates a PSO (precedence 1, complexity on, no history, no lockout) applying to `appliesTo`.
 * Samba computes no expiry for a maximum age of one day or less: use more than a day.
 * @example
 *   const pso = await createPso({ appliesTo: [accountDn], maxPwdAgeDays: 2, minPwdAgeDays: 0 });
 *   try { … } finally { await pso.remove(); }
 */
export async function createPso(opts: {
  appliesTo: string[];
  maxPwdAgeDays: number;
  minPwdAgeDays?: number;
}): Promise<TestPso> {
  const ad = adFromEnv();
  const dn = `CN=${uniqueName('pso')},CN=Password Settings Container,CN=System,${ad.baseDn}`;
  await withAdmin((c) =>
    c.add(dn, {
      objectClass: ['msDS-PasswordSettings'],
      'msDS-PasswordSettingsPrecedence': '1',
      'msDS-PasswordReversibleEncryptionEnabled': 'FALSE',
      'msDS-PasswordHistoryLength': '0',
      'msDS-PasswordComplexityEnabled': 'TRUE',
      'msDS-MinimumPasswordLength': '7',
      'msDS-MinimumPasswordAge': days(opts.minPwdAgeDays ?? 0),
      'msDS-MaximumPasswordAge': days(opts.maxPwdAgeDays),
      'msDS-LockoutThreshold': '0',
      'msDS-LockoutObservationWindow': days(1 / 48),
      'msDS-LockoutDuration': days(1 / 48),
      'msDS-PSOAppliesTo': opts.appliesTo,
    }),
  );
  return {
    dn,
    remove: () => withAdmin((c) => c.del(dn)).catch(() => undefined),
  };
}

/** Sets an attribute of `dn` to `values` as the Administrator (pwdLastSet=0, userAccountControl, …). */
export async function replaceAttribute(dn: string, type: string, values: string[]): Promise<void> {
  await withAdmin((c) =>
    c.modify(dn, [new Change({ operation: 'replace', modification: new Attribute({ type, values }) })]),
  );
}

/** pwdLastSet of `dn` (FILETIME, as a bigint), read as the Administrator. */
export async function readPwdLastSet(dn: string): Promise<bigint> {
  return withAdmin(async (c) => {
    const { searchEntries } = await c.search(dn, { scope: 'base', attributes: ['pwdLastSet'] });
    return BigInt(String(searchEntries[0]?.pwdLastSet ?? '0'));
  });
}
