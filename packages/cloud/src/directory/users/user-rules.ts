import { badRequest } from '../../errors.js';

const LOCAL_PART = /^[A-Za-z0-9'_!#^~&{}$%*+=?|`-]+(\.[A-Za-z0-9'_!#^~&{}$%*+=?|`-]+)*$/;
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** Splits and checks a UPN's syntax; returns its lower-cased domain. Graph's wording on failure. */
export function parseUpn(upn: string): { local: string; domain: string } {
  const at = upn.lastIndexOf('@');
  const local = upn.slice(0, at);
  const domain = upn.slice(at + 1).toLowerCase();
  if (at <= 0 || upn.length > 113 || local.length > 64 || !LOCAL_PART.test(local) || !DNS_NAME.test(domain)) {
    throw badRequest(
      "Invalid value specified for property 'userPrincipalName' of resource 'User'.",
      'userPrincipalName',
    );
  }
  return { local, domain };
}

/** Whether a string is a syntactically valid DNS name (lower case). */
export function isDnsName(name: string): boolean {
  return DNS_NAME.test(name);
}

/** Entra's default password policy: 8–256 characters from at least three of four classes. */
export function assertPasswordComplexity(password: string): void {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (password.length < 8 || password.length > 256 || classes < 3) {
    throw badRequest(
      'The specified password does not comply with password complexity requirements. Please provide a different password.',
      'passwordProfile.password',
    );
  }
}
