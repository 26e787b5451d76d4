export { type AssignedLicense, hasMailbox } from './mailbox.js';
export { registerMailApp } from './register.js';
export { type MailDemoOptions, startMailDemo } from './server.js';
