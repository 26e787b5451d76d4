import { z } from 'zod';
import { LIMITS } from './limits.js';

/** The object types cloudsync synchronizes. */
export const objectTypeSchema = z.enum(['user', 'group', 'contact']);
export type ObjectType = z.infer<typeof objectTypeSchema>;

/** Base64 of exactly 16 bytes: `onPremisesImmutableId`, from ms-DS-ConsistencyGuid or objectGUID. */
export const anchorSchema = z
  .string()
  .length(24)
  .regex(/^[A-Za-z0-9+/]{21}[AQgw]==$/, 'an anchor is the base64 of 16 bytes');
export type Anchor = z.infer<typeof anchorSchema>;

/** A GUID in its string form (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`), any version. */
export const guidSchema = z.guid();

/** A distinguished name; the syntax is AD's business, the contract only bounds it. */
export const distinguishedNameSchema = z
  .string()
  .min(3)
  .max(LIMITS.dnLength)
  .refine(
    (s) => s.includes('=') && !s.includes('\u0000'),
    'a distinguished name has attribute=value and no NUL',
  );

/** A security identifier in string form, e.g. `S-1-5-21-1004336348-1177238915-682003330-512`. */
export const sidSchema = z
  .string()
  .max(184)
  .regex(/^S-1-\d{1,15}(-\d{1,10}){0,15}$/, 'a SID looks like S-1-5-21-…');

/** A DNS name such as `corp.contoso.com`. */
export const dnsNameSchema = z
  .string()
  .min(1)
  .max(LIMITS.dnsNameLength)
  .regex(
    /^(?=.{1,253}$)([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*$/,
    'a DNS name',
  );

/** A NetBIOS domain name such as `CORP`. */
export const netbiosNameSchema = z
  .string()
  .min(1)
  .max(LIMITS.netbiosNameLength)
  .regex(/^[^\\/:*?"<>|.\s][^\\/:*?"<>|\s]*$/, 'a NetBIOS name');

/** A version string such as `0.3.1` or `0.3.1+abc123`. */
export const versionStringSchema = z
  .string()
  .min(1)
  .max(LIMITS.versionLength)
  .regex(/^[0-9A-Za-z.+_-]+$/);

/** An ISO 8601 timestamp with offset, e.g. `2026-11-25T15:04:04.000Z`. */
export const timestampSchema = z.iso.datetime({ offset: true });

/** Text from a peer, bounded and without NUL (which PostgreSQL text cannot hold). */
export function safeText(max: number) {
  return z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'text must not contain NUL');
}

/** Free text from a peer (reasons, messages), bounded. */
export const messageSchema = safeText(LIMITS.messageLength);

/** The name of a source (AD) or target (Graph) attribute. */
export const attributeNameSchema = z
  .string()
  .min(1)
  .max(LIMITS.attributeNameLength)
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'an attribute name');

/** Server-assigned identifiers (agents, configurations, cycles, jobs) are UUIDs. */
export const idSchema = z.uuid();
