// Run as a child by the cloud step (`node --import tsx cloud-admin-password.ts`): gives the Global
// Administrator of an existing tenant a new password. Reads `{ data, password }` as JSON on stdin and
// prints `{ adminUpn }` (null when the store has no tenant yet). A child, so that the cloud's
// dependencies (and their start-up notices) stay out of the lab's process.
import { text } from 'node:stream/consumers';
import { loadConfig, openDirectory, SYSTEM_ACTOR } from '@cloudsync/cloud';

// The lab writes this JSON itself (steps/cloud.ts).
const input = JSON.parse(await text(process.stdin)) as { data: string; password: string };
const config = loadConfig({ env: {}, flags: { data: input.data } });
const { store, directory } = await openDirectory(config);
try {
  const organization = await directory.organization();
  const initial = organization?.verifiedDomains.find((d) => d.isInitial)?.name;
  let adminUpn: string | null = null;
  if (initial) {
    adminUpn = `admin@${initial}`;
    await directory.users.update(SYSTEM_ACTOR, adminUpn, { passwordProfile: { password: input.password } });
  }
  process.stdout.write(`${JSON.stringify({ adminUpn })}\n`);
} finally {
  await store.close();
}
