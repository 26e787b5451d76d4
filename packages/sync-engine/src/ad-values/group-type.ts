import { parseInt32 } from './integer.js';

/** groupType flags ([MS-ADTS] 2.2.12). */
export const GROUP_TYPE = Object.freeze({
  BUILTIN_LOCAL: 0x1,
  GLOBAL: 0x2,
  DOMAIN_LOCAL: 0x4,
  UNIVERSAL: 0x8,
  SECURITY_ENABLED: 0x80000000,
});

export interface GroupKind {
  securityEnabled: boolean;
  scope: 'global' | 'domainLocal' | 'universal' | 'builtinLocal' | 'unknown';
}

/** Decodes `groupType` (negative for security groups, as LDAP returns it). */
export function parseGroupType(value: unknown): GroupKind {
  const n = parseInt32(value, 'groupType') >>> 0;
  const scope =
    n & GROUP_TYPE.UNIVERSAL
      ? 'universal'
      : n & GROUP_TYPE.DOMAIN_LOCAL
        ? 'domainLocal'
        : n & GROUP_TYPE.GLOBAL
          ? 'global'
          : n & GROUP_TYPE.BUILTIN_LOCAL
            ? 'builtinLocal'
            : 'unknown';
  return { securityEnabled: (n & GROUP_TYPE.SECURITY_ENABLED) !== 0, scope };
}
