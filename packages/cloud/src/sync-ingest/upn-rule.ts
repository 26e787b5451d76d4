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

const MAX_LOCAL = 64;
const VARIANT_TRIES = 20;

/** The local part reduced to what a cloud UPN allows (letters, digits, `.-_'!#^~`), never empty. */
export function cleanLocalPart(local: string): string {
  const cleaned = local
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9.\-_'!#^~]/g, '')
    .replace(/^\.+|\.+$/g, '')
    .replace(/\.{2,}/g, '.')
    .slice(0, MAX_LOCAL);
  return cleaned || 'user';
}

/** Four digits derived from the anchor (and the attempt), the same on every run. */
function variantDigits(anchor: string, attempt: number): string {
  const digest = createHash('sha256').update(`${anchor}:${attempt}`).digest();
  return String(digest.readUInt32BE(0) % 10_000).padStart(4, '0');
}

/**
 * Applies the UPN rule of synced users: a suffix that is not a verified domain of the tenant becomes
 * the initial domain; a UPN another object holds gets a deterministic four-digit variant
 * (`bobby1234@…`), and the caller logs a warning. Never fails.
 */
export async function decideUpn(input: UpnRuleInput): Promise<UpnDecision> {
  const at = input.requested.lastIndexOf('@');
  const rawLocal = at > 0 ? input.requested.slice(0, at) : input.requested;
  const suffix = at > 0 ? input.requested.slice(at + 1).toLowerCase() : '';
  const local = cleanLocalPart(rawLocal);
  const verified = input.verifiedDomains.has(suffix);
  const domain = verified ? suffix : input.initialDomain;
  const notes: string[] = [];
  if (!verified) {
    notes.push(
      suffix
        ? `The UPN suffix ${suffix} is not a verified domain of the tenant, so the user gets the initial domain ${input.initialDomain}.`
        : `AD gave no UPN suffix, so the user gets the initial domain ${input.initialDomain}.`,
    );
  }
  if (local !== rawLocal) notes.push(`Characters a cloud UPN cannot hold were removed from "${rawLocal}".`);
  let candidate = `${local}@${domain}`;
  if (!(await input.isTaken(candidate))) {
    return { userPrincipalName: candidate, ...(notes.length ? { note: notes.join(' ') } : {}) };
  }
  const base = local.slice(0, MAX_LOCAL - 4);
  for (let attempt = 0; attempt < VARIANT_TRIES; attempt++) {
    candidate = `${base}${variantDigits(input.anchor, attempt)}@${domain}`;
    if (!(await input.isTaken(candidate))) {
      notes.push(`${local}@${domain} belongs to another object, so this user got ${candidate}.`);
      return { userPrincipalName: candidate, note: notes.join(' '), conflict: true };
    }
  }
  // Twenty taken variants means something is badly wrong; the anchor itself is unique.
  candidate = `${base}-${createHash('sha256').update(input.anchor).digest('hex').slice(0, 12)}@${domain}`;
  notes.push(`${local}@${domain} and its variants are taken, so this user got ${candidate}.`);
  return { userPrincipalName: candidate, note: notes.join(' '), conflict: true };
}
