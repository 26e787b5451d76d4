import { runNotificationsContract } from './notifications-contract.js';

runNotificationsContract('SQLite', async () => ({}));
