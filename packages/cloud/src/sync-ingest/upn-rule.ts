import { createHash } from 'node:crypto';

/** What the UPN rule decided for one synced user, and why, for the provisioning log. */
export interface UpnDecision {
  userPrincipalName: string;
  /** Set when the cloud UPN differs from the one AD has. */
  note?: string;
  /** Set when the UPN was taken and a variant was chosen (a provisioning-log warning). */
  conflict?: boolean;
}

export interface UpnRuleInput {
  /** The UPN the mappings produced from AD (`bobby@corp.example.test`). */
  requested: string;
  /** The object's anchor: it seeds the conflict variant, so the same user always gets the same one. */
  anchor: string;
  /** Verified domains of the tenant, lower case (the initial domain included). */
  verifiedDomains: ReadonlySet<string>;
  initialDomain: string;
  /** True when another object already holds this UPN. */
  isTaken(upn: string): Promise<boolean>;
}

// The directory's limits on a UPN (`parseUpn`): 64 characters before the `@`, 113 in all.
const MAX_LOCAL = 64;
const MAX_UPN = 113;
/** The last-resort variant's tag, `-` and twelve hex digits: a verified suffix must leave room for it. */
const HASH_TAG_LENGTH = 13;
const VARIANT_TRIES = 20;

/** The characters a cloud UPN's local part keeps (diacritics folded), dots never doubled nor leading. */
function clean(local: string): string {
  return local
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9.\-_'!#^~]/g, '')
    .replace(/\.{2,}/g, '.')
    .replace(/^\.+/, '');
}

/**
 * `local` (cleaned) cut to at most `max` characters. The cut can end on a dot, which the directory
 * refuses, so trailing dots go after it; a cleaned local part starts with a non-dot, so at least
 * one character stays when `max` >= 1.
 */
function cut(local: string, max: number): string {
  return local.slice(0, Math.max(0, max)).replace(/\.+$/, '');
}

/** The local part reduced to what a cloud UPN allows (letters, digits, `.-_'!#^~`), never empty. */
export function cleanLocalPart(local: string): string {
  return cut(clean(local), MAX_LOCAL) || 'user';
}

/** The longest local part the directory accepts before `@domain`. */
const roomBefore = (domain: string): number => Math.min(MAX_LOCAL, MAX_UPN - 1 - domain.length);

/** `local` shortened so that `tag` (digits or `-` and hex digits) fits behind it within `room`. */
function tagged(local: string, tag: string, room: number): string {
  const kept = tag.slice(0, room);
  return cut(local, room - kept.length) + kept;
}

/** Four digits derived from the anchor (and the attempt), the same on every run. */
function variantDigits(anchor: string, attempt: number): string {
  const digest = createHash('sha256').update(`${anchor}:${attempt}`).digest();
  return String(digest.readUInt32BE(0) % 10_000).padStart(4, '0');
}

/**
 * Applies the UPN rule of synced users: a suffix that is not a verified domain of the tenant (or too
 * long to leave room for a local part) becomes the initial domain; the local part keeps only what a
 * cloud UPN allows and is shortened to fit 64 characters and 113 in all; a UPN another object holds
 * gets a deterministic four-digit variant (`bobby1234@…`), and the caller logs a warning. Never
 * fails, and the UPN always passes the directory's own check (`parseUpn`), given an initial domain
 * that leaves room for a local part (`admin@<initial domain>` is a valid UPN).
 */
export async function decideUpn(input: UpnRuleInput): Promise<UpnDecision> {
  const at = input.requested.lastIndexOf('@');
  const rawLocal = at > 0 ? input.requested.slice(0, at) : input.requested;
  const suffix = at > 0 ? input.requested.slice(at + 1).toLowerCase() : '';
  const verified = input.verifiedDomains.has(suffix);
  const fits = roomBefore(suffix) >= HASH_TAG_LENGTH;
  const domain = verified && fits ? suffix : input.initialDomain;
  const notes: string[] = [];
  if (!verified) {
    notes.push(
      suffix
        ? `The UPN suffix ${suffix} is not a verified domain of the tenant, so the user gets the initial domain ${input.initialDomain}.`
        : `AD gave no UPN suffix, so the user gets the initial domain ${input.initialDomain}.`,
    );
  } else if (!fits) {
    notes.push(
      `The UPN suffix ${suffix} leaves no room for a name within ${MAX_UPN} characters, so the user gets the initial domain ${input.initialDomain}.`,
    );
  }
  const room = roomBefore(domain);
  const cleaned = clean(rawLocal) || 'user';
  const local = cut(cleaned, room);
  if (cleaned !== rawLocal) notes.push(`Characters a cloud UPN cannot hold were removed from "${rawLocal}".`);
  if (local !== cleaned) {
    notes.push(
      `"${cleaned}" is longer than a cloud UPN allows before @${domain}, so it was shortened to "${local}".`,
    );
  }
  let candidate = `${local}@${domain}`;
  if (!(await input.isTaken(candidate))) {
    return { userPrincipalName: candidate, ...(notes.length ? { note: notes.join(' ') } : {}) };
  }
  for (let attempt = 0; attempt < VARIANT_TRIES; attempt++) {
    candidate = `${tagged(local, variantDigits(input.anchor, attempt), room)}@${domain}`;
    if (!(await input.isTaken(candidate))) {
      notes.push(`${local}@${domain} belongs to another object, so this user got ${candidate}.`);
      return { userPrincipalName: candidate, note: notes.join(' '), conflict: true };
    }
  }
  // Twenty taken variants means something is badly wrong; the anchor itself is unique.
  const hash = createHash('sha256')
    .update(input.anchor)
    .digest('hex')
    .slice(0, HASH_TAG_LENGTH - 1);
  candidate = `${tagged(local, `-${hash}`, room)}@${domain}`;
  notes.push(`${local}@${domain} and its variants are taken, so this user got ${candidate}.`);
  return { userPrincipalName: candidate, note: notes.join(' '), conflict: true };
}
