/** Kinds of the password writeback jobs, served by `GET /agent/v1/writeback/jobs`. */
export const WRITEBACK_JOB_KINDS: readonly string[] = ['password-reset', 'password-change'];

/** Kinds of the generic jobs, served by `GET /agent/v1/jobs`. */
export const AGENT_JOB_KINDS: readonly string[] = ['provision-on-demand'];
