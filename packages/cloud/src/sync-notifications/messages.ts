import { ERROR_CODES, type ErrorBody } from '@cloudsync/protocol';

/** Who and what an e-mail is about: the tenant, the configuration and its AD domain. */
export interface MailSubject {
  tenantName: string;
  initialDomain: string;
  configurationId: string;
  domain: string;
  /** The cloud's public URL, for links to the admin center and the API. */
  publicUrl: string;
}

export interface Composed {
  subject: string;
  text: string;
}

const heading = (s: MailSubject): string[] => [
  `Tenant:             ${s.tenantName} (${s.initialDomain})`,
  `Sync configuration: ${s.domain} (id ${s.configurationId})`,
  '',
];

const links = (s: MailSubject) => {
  const api = `${s.publicUrl}/v1.0/cloudsync/configurations/${s.configurationId}`;
  return {
    page: `${s.publicUrl}/admin/#/cloud-sync/configurations/${s.configurationId}`,
    api,
    logs: `${s.publicUrl}/v1.0/auditLogs/provisioning?configurationId=${s.configurationId}&status=failure`,
  };
};

const footer = (once: string): string[] => [
  '',
  '--',
  'You receive this because this address is the notification e-mail of the sync configuration.',
  once,
];

const mail = (s: MailSubject, title: string, lines: string[]): Composed => ({
  subject: `[cloudsync] ${s.tenantName}: ${title}`,
  text: `${[...heading(s), ...lines].join('\n')}\n`,
});

/** The accidental-delete guard held a cycle: how many deletions, the threshold, how to decide. */
export function heldMail(
  s: MailSubject,
  held: { deletions: number; threshold: number; heldAt: string },
): Composed {
  const l = links(s);
  return mail(s, `deletions held for ${s.domain}`, [
    `A sync cycle of ${s.domain} asked to delete ${held.deletions} objects, more than the`,
    `accidental-delete threshold of ${held.threshold}. The cycle was held: nothing was deleted, and`,
    'later cycles stay held until an administrator decides.',
    '',
    'What to do:',
    `1. Review the held deletions in the admin center: ${l.page}`,
    `   or with the API: GET ${l.api}/heldDeletions`,
    `2. If they are expected, approve them: POST ${l.api}/heldDeletions/approve`,
    `3. If not, reject them (nothing is deleted): POST ${l.api}/heldDeletions/reject`,
    '   and fix the cause on premises (objects deleted by mistake, an OU moved out of scope).',
    '   If deletions this large are normal, raise the threshold (deleteGuard.threshold).',
    '',
    `Held at ${held.heldAt}.`,
    ...footer('This hold is e-mailed once; a new hold after a decision is e-mailed again.'),
  ]);
}

/** The configuration went into quarantine: why, and when it retries. */
export function quarantineMail(s: MailSubject, q: { reason: string; retryAt: string | null }): Composed {
  const l = links(s);
  return mail(s, `${s.domain} is in quarantine`, [
    `Synchronization of ${s.domain} is in quarantine after repeated failed cycles.`,
    '',
    `Reason: ${q.reason}`,
    q.retryAt
      ? `Next automatic retry: ${q.retryAt} (the wait doubles after each failed retry, at most a day).`
      : 'It retries automatically with backoff.',
    '',
    'What to do:',
    `1. Read the failures in the provisioning logs: GET ${l.logs}`,
    `   or in the admin center: ${l.page}`,
    '2. Fix the cause (in AD or in the configuration), then retry at once with a restart:',
    `   POST ${l.api}/restart`,
    ...footer('You are e-mailed again when the configuration is healthy again, not on every failed retry.'),
  ]);
}

/** The configuration is healthy again after a quarantine or an agent error that was e-mailed. */
export function recoveredMail(s: MailSubject, r: { after: string; at: string }): Composed {
  return mail(s, `${s.domain} is healthy again`, [
    `Synchronization of ${s.domain} is healthy again: a cycle was accepted at ${r.at}.`,
    `It had been in ${r.after}.`,
    '',
    `Status: ${links(s).page}`,
    ...footer('No action is needed.'),
  ]);
}

/** What to do about an on-premises error code, from the protocol's safe message. */
function adviceFor(code: string): string | undefined {
  return Object.entries(ERROR_CODES).find(([name]) => name === code)?.[1].message;
}

/** An agent reported an on-premises error that puts the configuration in error state. */
export function agentErrorMail(
  s: MailSubject,
  e: { error: ErrorBody; agentHost: string; at: string },
): Composed {
  const advice = adviceFor(e.error.code);
  return mail(s, `the agent on ${e.agentHost} reports ${e.error.code} for ${s.domain}`, [
    `The agent on ${e.agentHost} reports an error for ${s.domain}, so the configuration is in error state.`,
    '',
    `Error:   ${e.error.code}`,
    `Message: ${e.error.message}`,
    `Seen at: ${e.at}`,
    '',
    'What to do:',
    ...(advice ? [`- ${advice}`] : []),
    `- Run \`cloudsync agent status\` on ${e.agentHost} for details; re-running \`cloudsync agent install\``,
    '  repairs the install and grants the rights the service account lacks.',
    `- Status: ${links(s).page}`,
    ...footer('This error is e-mailed once until a cycle succeeds; another error code is e-mailed again.'),
  ]);
}
