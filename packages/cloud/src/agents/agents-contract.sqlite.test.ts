import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { runAgentsContract } from './agents-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'cloudsync-agents-'));
after(() => rmSync(dir, { recursive: true, force: true }));

runAgentsContract('sqlite', async () => ({ sqliteFile: join(dir, 'store.sqlite') }));
