// The agent's authenticated client to the cloud.
export { type BackoffOptions, backoffDelay, sleep } from './backoff.js';
export { errorBodyOf, UplinkError } from './errors.js';
export { type HttpRequest, type HttpResponse, sendHttp } from './http.js';
export {
  type AgentClientKey,
  clientAssertion,
  createTokenSource,
  type TokenSource,
  type TokenSourceOptions,
} from './token.js';
export { createUplink, type RetryPolicy, type Uplink, type UplinkOptions } from './uplink.js';
