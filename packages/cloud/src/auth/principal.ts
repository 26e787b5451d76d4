import type {} from 'fastify';

/** Directory roles, named as in Microsoft Entra. */
export const ROLES = ['GlobalAdministrator', 'UserAdministrator', 'User'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling the admin API: a person signed in through OpenID Connect, an app, or an agent. */
export interface Principal {
  kind: 'user' | 'app' | 'agent';
  /** Directory object id of the user, client id of the app, or id of the agent. */
  id: string;
  tenantId: string;
  roles: readonly Role[];
  /** Sign-in name when the principal is a person. */
  userPrincipalName?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook before any admin API handler runs. */
    principal?: Principal;
  }
}
