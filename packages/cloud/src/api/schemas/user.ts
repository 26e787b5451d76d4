import { z } from 'zod';
import { guid, nullableString, optionalText, text } from './common.js';

/** A user as the API returns it. Anything not named here (a password hash, say) is stripped. */
export const userSchema = z.object({
  id: z.string(),
  userPrincipalName: z.string(),
  displayName: z.string(),
  givenName: nullableString,
  surname: nullableString,
  mail: nullableString,
  mailNickname: nullableString,
  accountEnabled: z.boolean(),
  usageLocation: nullableString,
  jobTitle: nullableString,
  department: nullableString,
  officeLocation: nullableString,
  mobilePhone: nullableString,
  companyName: nullableString,
  employeeId: nullableString,
  onPremisesSyncEnabled: z.boolean().nullable(),
  onPremisesImmutableId: nullableString,
  onPremisesSamAccountName: nullableString,
  onPremisesDistinguishedName: nullableString,
  onPremisesDomainName: nullableString,
  onPremisesSecurityIdentifier: nullableString,
  onPremisesUserPrincipalName: nullableString,
  onPremisesLastSyncDateTime: nullableString,
  assignedLicenses: z.array(z.object({ skuId: z.string(), disabledPlans: z.array(z.string()) })),
  createdDateTime: z.string(),
  deletedDateTime: nullableString,
});

/** Properties no caller may set through the API (the directory or the sync ingest owns them). */
export const READ_ONLY_USER_PROPERTIES: ReadonlySet<string> = new Set([
  'id',
  'createdDateTime',
  'deletedDateTime',
  'assignedLicenses',
  'onPremisesSyncEnabled',
  'onPremisesImmutableId',
  'onPremisesSamAccountName',
  'onPremisesDistinguishedName',
  'onPremisesDomainName',
  'onPremisesSecurityIdentifier',
  'onPremisesUserPrincipalName',
  'onPremisesLastSyncDateTime',
]);

const passwordProfile = z
  .object({
    password: text(256),
    forceChangePasswordNextSignIn: z.boolean().optional(),
    forceChangePasswordNextSignInWithMfa: z.boolean().optional(),
  })
  .strict();

const profile = {
  givenName: optionalText(64),
  surname: optionalText(64),
  mail: z.email().max(256).nullable().optional(),
  mailNickname: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]+$/, 'letters, digits and . - _ only, no spaces')
    .optional(),
  accountEnabled: z.boolean().optional(),
  usageLocation: z
    .string()
    .regex(/^[A-Z]{2}$/, 'a two-letter country code (ISO 3166-1 alpha-2)')
    .nullable()
    .optional(),
  jobTitle: optionalText(128),
  department: optionalText(64),
  officeLocation: optionalText(128),
  mobilePhone: optionalText(64),
  companyName: optionalText(64),
  employeeId: optionalText(16),
};

/** Body of `POST /users`. */
export const newUserBody = z
  .object({
    displayName: text(256).min(1),
    userPrincipalName: text(113),
    passwordProfile: passwordProfile.optional(),
    ...profile,
  })
  .strict();

/** Body of `PATCH /users/{id}`. */
export const userPatchBody = z
  .object({
    displayName: text(256).min(1).optional(),
    userPrincipalName: text(113).optional(),
    passwordProfile: passwordProfile.optional(),
    ...profile,
  })
  .strict();

/** Body of `POST /users/{id}/assignLicense`. */
export const assignLicenseBody = z
  .object({
    addLicenses: z
      .array(z.object({ skuId: guid, disabledPlans: z.array(guid).max(100).optional() }).strict())
      .max(50),
    removeLicenses: z.array(guid).max(50),
  })
  .strict();

export const licenseDetailsSchema = z.object({
  id: z.string(),
  skuId: z.string(),
  skuPartNumber: z.string(),
  servicePlans: z.array(
    z.object({
      servicePlanId: z.string(),
      servicePlanName: z.string(),
      provisioningStatus: z.string(),
      appliesTo: z.string(),
    }),
  ),
});
