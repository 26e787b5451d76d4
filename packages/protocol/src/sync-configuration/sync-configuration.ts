import { z } from 'zod';
import { dnsNameSchema, idSchema, netbiosNameSchema, sidSchema, timestampSchema } from '../common.js';
import { attributeMappingsSchema } from './attribute-mapping.js';
import { scopeSchema } from './scope.js';

/** The AD domain a configuration synchronizes. */
export const configurationDomainSchema = z.object({
  dnsName: dnsNameSchema,
  netbiosName: netbiosNameSchema,
  /** The domain SID, e.g. `S-1-5-21-1004336348-1177238915-682003330`. */
  sid: sidSchema,
});
export type ConfigurationDomain = z.infer<typeof configurationDomainSchema>;

/** Default accidental-delete threshold: deletions in one cycle above which the cycle is held. */
export const DEFAULT_DELETE_THRESHOLD = 500;

export const deleteGuardSchema = z.object({
  enabled: z.boolean().default(true),
  threshold: z.int().min(1).max(1_000_000).default(DEFAULT_DELETE_THRESHOLD),
});

/**
 * A sync configuration as the cloud stores it and the agent pulls it
 * (`GET /agent/v1/configurations`). `version` grows by one on every change; the agent compares it
 * with the one it runs (see the heartbeat) and pulls again when it differs.
 */
export const syncConfigurationSchema = z.object({
  id: idSchema,
  version: z.int().min(0),
  domain: configurationDomainSchema,
  enabled: z.boolean(),
  passwordHashSync: z.boolean(),
  passwordWriteback: z.boolean().default(false),
  scope: scopeSchema,
  mappings: attributeMappingsSchema,
  deleteGuard: deleteGuardSchema.default({ enabled: true, threshold: DEFAULT_DELETE_THRESHOLD }),
  /** Where accidental-delete and quarantine notices go. */
  notificationEmail: z.email().max(254).nullable(),
  updatedAt: timestampSchema,
});
export type SyncConfiguration = z.infer<typeof syncConfigurationSchema>;

/** `GET /agent/v1/configurations`: the configurations of the domains this agent serves. */
export const configurationListSchema = z.object({
  configurations: z.array(syncConfigurationSchema).max(50),
});
export type ConfigurationList = z.infer<typeof configurationListSchema>;
