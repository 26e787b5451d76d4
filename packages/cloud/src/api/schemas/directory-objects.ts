import { z } from 'zod';
import { nullableString, optionalText, text } from './common.js';

export const groupSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  description: nullableString,
  mailNickname: z.string(),
  mail: nullableString,
  mailEnabled: z.boolean(),
  securityEnabled: z.boolean(),
  groupTypes: z.array(z.string()),
  onPremisesSyncEnabled: z.boolean().nullable(),
  onPremisesImmutableId: nullableString,
  onPremisesSamAccountName: nullableString,
  onPremisesDomainName: nullableString,
  onPremisesSecurityIdentifier: nullableString,
  onPremisesLastSyncDateTime: nullableString,
  createdDateTime: z.string(),
});

const mailNickname = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]+$/, 'letters, digits and . - _ only, no spaces');

export const newGroupBody = z
  .object({
    displayName: text(256).min(1),
    mailNickname,
    mailEnabled: z.boolean(),
    securityEnabled: z.boolean(),
    description: optionalText(1024),
    groupTypes: z
      .array(z.enum(['Unified']))
      .max(1)
      .optional(),
  })
  .strict();

export const groupPatchBody = z
  .object({
    displayName: text(256).min(1).optional(),
    description: optionalText(1024),
    mailNickname: mailNickname.optional(),
  })
  .strict();

/** Body of `POST /groups/{id}/members/$ref`. */
export const memberRefBody = z.object({ '@odata.id': z.string().min(1).max(1024) }).strict();

export const memberSchema = z.object({
  '@odata.type': z.string(),
  id: z.string(),
  displayName: z.string(),
  userPrincipalName: z.string().optional(),
  mail: nullableString,
});

export const contactSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  givenName: nullableString,
  surname: nullableString,
  mail: nullableString,
  mailNickname: nullableString,
  companyName: nullableString,
  jobTitle: nullableString,
  department: nullableString,
  onPremisesSyncEnabled: z.boolean().nullable(),
  onPremisesLastSyncDateTime: nullableString,
  createdDateTime: z.string(),
});

const contactFields = {
  givenName: optionalText(64),
  surname: optionalText(64),
  mail: z.email().max(256).nullable().optional(),
  mailNickname: optionalText(64),
  companyName: optionalText(64),
  jobTitle: optionalText(128),
  department: optionalText(64),
};

export const newContactBody = z.object({ displayName: text(256).min(1), ...contactFields }).strict();
export const contactPatchBody = z
  .object({ displayName: text(256).min(1).optional(), ...contactFields })
  .strict();

export const domainSchema = z.object({
  id: z.string(),
  authenticationType: z.string(),
  isAdminManaged: z.boolean(),
  isDefault: z.boolean(),
  isInitial: z.boolean(),
  isRoot: z.boolean(),
  isVerified: z.boolean(),
  supportedServices: z.array(z.string()),
});

export const newDomainBody = z.object({ id: text(253).min(1) }).strict();

export const dnsRecordSchema = z.object({
  '@odata.type': z.string(),
  id: z.string(),
  isOptional: z.boolean(),
  label: z.string(),
  recordType: z.string(),
  supportedService: z.string(),
  text: z.string(),
  ttl: z.number(),
});

export const subscribedSkuSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  skuId: z.string(),
  skuPartNumber: z.string(),
  appliesTo: z.string(),
  capabilityStatus: z.string(),
  consumedUnits: z.number(),
  prepaidUnits: z.object({
    enabled: z.number(),
    suspended: z.number(),
    warning: z.number(),
    lockedOut: z.number(),
  }),
  servicePlans: z.array(
    z.object({
      servicePlanId: z.string(),
      servicePlanName: z.string(),
      provisioningStatus: z.string(),
      appliesTo: z.string(),
    }),
  ),
});

const modifiedProperty = z.object({
  displayName: z.string(),
  oldValue: nullableString,
  newValue: nullableString,
});

export const directoryAuditSchema = z.object({
  id: z.string(),
  category: z.string(),
  activityDateTime: z.string(),
  activityDisplayName: z.string(),
  operationType: z.string(),
  result: z.string(),
  resultReason: z.string(),
  loggedByService: z.string(),
  initiatedBy: z.object({
    user: z.object({ id: z.string(), userPrincipalName: nullableString }).nullable(),
    app: z.object({ appId: z.string(), displayName: nullableString }).nullable(),
  }),
  targetResources: z.array(
    z.object({
      id: nullableString,
      displayName: nullableString,
      type: nullableString,
      modifiedProperties: z.array(modifiedProperty),
    }),
  ),
});

export const organizationSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  tenantType: z.string(),
  createdDateTime: z.string(),
  verifiedDomains: z.array(
    z.object({
      capabilities: z.string(),
      isDefault: z.boolean(),
      isInitial: z.boolean(),
      name: z.string(),
      type: z.string(),
    }),
  ),
});
