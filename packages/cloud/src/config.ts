import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';

/** Flags given on the command line; each overrides the environment variable of the same option. */
export interface CloudFlags {
  data?: string;
  host?: string;
  port?: string | number;
  tlsCert?: string;
  tlsKey?: string;
  publicUrl?: string;
  domainSuffix?: string;
  logLevel?: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const schema = z
  .object({
    /** Where the SQLite file and other local state live. Env CLOUDSYNC_DATA_DIR, flag --data. Default `./.cloudsync`. */
    dataDir: z.string().min(1).default('./.cloudsync'),
    /** PostgreSQL connection URL; when set, PostgreSQL is used instead of SQLite. Env DATABASE_URL. */
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
      .optional(),
    /** Interface to listen on. Env CLOUDSYNC_HOST, flag --host. Default `127.0.0.1`. */
    host: z.string().min(1).default('127.0.0.1'),
    /** TCP port. Env CLOUDSYNC_PORT, flag --port. Default 8443 (0 picks a free port). */
    port: z.coerce.number().int().min(0).max(65535).default(8443),
    /** URL clients use to reach the service (also the OpenID issuer). Env CLOUDSYNC_PUBLIC_URL. Default derived from host/port/TLS. */
    publicUrl: z.url().optional(),
    /** PEM certificate chain for HTTPS (TLS 1.2 minimum). Env CLOUDSYNC_TLS_CERT, flag --tls-cert. */
    tlsCert: z.string().min(1).optional(),
    /** PEM private key for HTTPS. Env CLOUDSYNC_TLS_KEY, flag --tls-key. */
    tlsKey: z.string().min(1).optional(),
    /** Suffix of each tenant's initial domain (`<tenant>.<suffix>`). Env CLOUDSYNC_DOMAIN_SUFFIX. Default `cloudsync.test`. */
    domainSuffix: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i, 'not a DNS name')
      .default('cloudsync.test'),
    /** DNS servers (`ip` or `ip:port`) for domain verification. Env CLOUDSYNC_DNS_SERVERS, comma separated. Default: the system's. */
    dnsServers: z.array(z.string().min(1)).default([]),
    /** pino log level. Env CLOUDSYNC_LOG_LEVEL, flag --log-level. Default `info`. */
    logLevel: z.enum(LOG_LEVELS).default('info'),
    /** SMTP server for password reset codes and sync notification e-mails, e.g. `smtp://127.0.0.1:2525`. Env CLOUDSYNC_SMTP_URL. Default: none (e-mail codes unavailable; notifications wait in their outbox). */
    smtpUrl: z
      .string()
      .regex(/^smtps?:\/\/[^\s]+$/, 'an smtp:// or smtps:// URL')
      .optional(),
    /** Sender of password reset and sync notification e-mail. Env CLOUDSYNC_MAIL_FROM. Default `cloudsync <no-reply@cloudsync.test>`. */
    mailFrom: z.string().min(3).default('cloudsync <no-reply@cloudsync.test>'),
    /** How long a password reset or change of a synced user waits for AD's answer through the agent, in ms. Env CLOUDSYNC_WRITEBACK_TIMEOUT_MS. Default 30000 (1000–300000). */
    writebackTimeoutMs: z.coerce.number().int().min(1_000).max(300_000).default(30_000),
  })
  .refine((c) => Boolean(c.tlsCert) === Boolean(c.tlsKey), {
    message: 'give both a TLS certificate and a TLS key, or neither',
    path: ['tlsKey'],
  })
  .refine((c) => Boolean(c.tlsCert) || isLoopback(c.host), {
    message: 'plain HTTP is allowed on a loopback address only: give --tls-cert and --tls-key',
    path: ['host'],
  });

/** The validated, frozen configuration of one cloud process. */
export type CloudConfig = Readonly<
  z.infer<typeof schema> & { publicUrl: string; sqliteFile: string; warnings: readonly string[] }
>;

/** Thrown when the environment or the flags do not describe a valid configuration. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

function pick(flag: string | number | undefined, env: string | undefined): string | number | undefined {
  if (flag !== undefined && flag !== '') return flag;
  return env === '' ? undefined : env;
}

/**
 * Reads the configuration once from the environment and the CLI flags, validates it and freezes it.
 * @example
 *   const config = loadConfig({ flags: { port: 0 } });
 */
export function loadConfig(options: { env?: NodeJS.ProcessEnv; flags?: CloudFlags } = {}): CloudConfig {
  const env = options.env ?? process.env;
  const flags = options.flags ?? {};
  const parsed = schema.safeParse({
    dataDir: pick(flags.data, env.CLOUDSYNC_DATA_DIR),
    databaseUrl: pick(undefined, env.DATABASE_URL),
    host: pick(flags.host, env.CLOUDSYNC_HOST),
    port: pick(flags.port, env.CLOUDSYNC_PORT),
    publicUrl: pick(flags.publicUrl, env.CLOUDSYNC_PUBLIC_URL),
    tlsCert: pick(flags.tlsCert, env.CLOUDSYNC_TLS_CERT),
    tlsKey: pick(flags.tlsKey, env.CLOUDSYNC_TLS_KEY),
    domainSuffix: pick(flags.domainSuffix, env.CLOUDSYNC_DOMAIN_SUFFIX),
    dnsServers: env.CLOUDSYNC_DNS_SERVERS
      ? env.CLOUDSYNC_DNS_SERVERS.split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined,
    logLevel: pick(flags.logLevel, env.CLOUDSYNC_LOG_LEVEL),
    smtpUrl: pick(undefined, env.CLOUDSYNC_SMTP_URL),
    mailFrom: pick(undefined, env.CLOUDSYNC_MAIL_FROM),
    writebackTimeoutMs: pick(undefined, env.CLOUDSYNC_WRITEBACK_TIMEOUT_MS),
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || 'config'}: ${i.message}`);
    throw new ConfigError(`invalid cloud configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const scheme = c.tlsCert ? 'https' : 'http';
  const urlHost = isIP(c.host) === 6 ? `[${c.host}]` : c.host;
  const warnings: string[] = [];
  if (!c.tlsCert) {
    warnings.push(
      `ATTENTION: serving plain HTTP on ${c.host}. This is for development on one machine only; ` +
        'give --tls-cert and --tls-key for anything else.',
    );
  }
  const dataDir = resolve(c.dataDir);
  return Object.freeze({
    ...c,
    dataDir,
    publicUrl: (c.publicUrl ?? `${scheme}://${urlHost}:${c.port}`).replace(/\/$/, ''),
    sqliteFile: resolve(dataDir, 'cloud.sqlite'),
    warnings: Object.freeze(warnings),
  });
}
