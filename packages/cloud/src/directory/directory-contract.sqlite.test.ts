import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { runDirectoryContract } from './directory-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'cloudsync-contract-'));
let n = 0;
after(() => rmSync(dir, { recursive: true, force: true }));

runDirectoryContract('sqlite', async () => ({ sqliteFile: join(dir, `store-${++n}.sqlite`) }));
