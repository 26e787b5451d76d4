// Benchmark: whole-domain and incremental MS-DRSR replication with cloudsync's client, beside
// Samba's own client (the reference oracle) measured in the same run on the same DC.
//
//   node --import tsx bench/password-hash-sync-drsr/run.ts [--users 5000] [--dir /tmp/cloudsync-bench-drsr] [--ip 127.0.0.59]
//
// The first run provisions a domain into --dir and seeds it (≈80 users/s); later runs reuse it.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Attribute, Change, Client } from 'ldapts';
import { replicateSecrets, type Watermark } from '../../packages/agent/src/drsr/index.js';
import { isProvisioned, provisionDc, smbConfPath, startDc } from '../../tests/harness/samba.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '5000' },
    dir: { type: 'string', default: '/tmp/cloudsync-bench-drsr' },
    ip: { type: 'string', default: '127.0.0.59' },
    runs: { type: 'string', default: '3' },
  },
});
const USERS = Number(args.users);
const RUNS = Number(args.runs);
const SVC = 'bench-drs';
// A fresh password every run (set over LDAPS by the Administrator), so none is stored anywhere.
const SVC_PASSWORD = `Bench!${randomBytes(12).toString('base64url')}9`;
const ORACLE = fileURLToPath(new URL('../../../shared/reference/drsr/dcsync_probe.py', import.meta.url));

const pwd = (p: string): Buffer => Buffer.from(`"${p}"`, 'utf16le');

async function seed(client: Client, baseDn: string): Promise<void> {
  const ou = `OU=bench,${baseDn}`;
  await client.add(ou, { objectClass: ['top', 'organizationalUnit'] }).catch(() => undefined);
  const { searchEntries } = await client.search(ou, {
    scope: 'one',
    filter: '(objectClass=user)',
    attributes: ['cn'],
    paged: true,
  });
  const have = new Set(searchEntries.map((e) => String(e.cn)));
  const todo = Array.from({ length: USERS }, (_, n) => `bench-${String(n).padStart(6, '0')}`).filter(
    (cn) => !have.has(cn),
  );
  if (todo.length > 0) console.error(`• seeding ${todo.length} users`);
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      while (next < todo.length) {
        const cn = todo[next++] ?? '';
        const withPassword = Number(cn.slice(6)) % 10 === 0;
        await client.add(`CN=${cn},${ou}`, [
          new Attribute({ type: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'user'] }),
          new Attribute({ type: 'sAMAccountName', values: [cn] }),
          new Attribute({ type: 'userAccountControl', values: [withPassword ? '512' : '544'] }),
          ...(withPassword ? [new Attribute({ type: 'unicodePwd', values: [pwd(`Seed!${cn}`)] })] : []),
        ]);
      }
    }),
  );
  if (todo.length > 0)
    console.error(`  ${(todo.length / ((performance.now() - t0) / 1000)).toFixed(0)} users/s`);
}

async function ensureServiceAccount(client: Client, baseDn: string, dir: string): Promise<void> {
  const dn = `CN=${SVC},CN=Users,${baseDn}`;
  const exists = await client.search(dn, { scope: 'base' }).then(
    () => true,
    () => false,
  );
  if (exists) {
    await client.modify(
      dn,
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'unicodePwd', values: [pwd(SVC_PASSWORD)] }),
      }),
    );
    return;
  }
  await client.add(dn, [
    new Attribute({ type: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'user'] }),
    new Attribute({ type: 'sAMAccountName', values: [SVC] }),
    new Attribute({ type: 'userAccountControl', values: ['512'] }),
    new Attribute({ type: 'unicodePwd', values: [pwd(SVC_PASSWORD)] }),
  ]);
  const { searchEntries } = await client.search(dn, {
    scope: 'base',
    attributes: ['objectSid'],
    explicitBufferAttributes: ['objectSid'],
  });
  const sid = searchEntries[0]?.objectSid;
  if (!Buffer.isBuffer(sid)) throw new Error('no objectSid');
  const subs = Array.from({ length: sid[1] ?? 0 }, (_, n) => sid.readUInt32LE(8 + n * 4));
  const sidText = `S-1-${sid.readUIntBE(2, 6)}-${subs.join('-')}`;
  for (const right of ['1131f6aa-9c07-11d1-f79f-00c04fc2dcd2', '1131f6ad-9c07-11d1-f79f-00c04fc2dcd2']) {
    const r = spawnSync('samba-tool', [
      'dsacl',
      'set',
      `--configfile=${smbConfPath(dir)}`,
      '-H',
      `tdb://${dir}/private/sam.ldb`,
      `--objectdn=${baseDn}`,
      `--sddl=(OA;;CR;${right};;${sidText})`,
    ]);
    if (r.status !== 0) throw new Error(`samba-tool dsacl failed: ${r.stderr}`);
  }
}

interface Measured {
  seconds: number;
  objects: number;
  hashes: number;
  watermark: Watermark | undefined;
}

async function ours(host: string, since?: Watermark): Promise<Measured> {
  const t0 = performance.now();
  const run = replicateSecrets({
    host,
    credentials: { domain: 'CORP', username: SVC, password: SVC_PASSWORD },
    since,
  });
  let objects = 0;
  let hashes = 0;
  for await (const a of run) {
    objects++;
    if (a.ntHash) hashes++;
    a.ntHash?.fill(0);
  }
  return { seconds: (performance.now() - t0) / 1000, objects, hashes, watermark: run.watermark };
}

function oracle(host: string): number {
  const t0 = performance.now();
  const r = spawnSync(
    '/usr/bin/python3',
    [
      ORACLE,
      '-U',
      `CORP\\${SVC}%${SVC_PASSWORD}`,
      '--target',
      host,
      '--account',
      SVC,
      '--mode',
      'nc',
      '--conf',
      fileURLToPath(new URL('../../../shared/reference/drsr/client.conf', import.meta.url)),
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`oracle failed: ${r.stdout}${r.stderr}`);
  return (performance.now() - t0) / 1000;
}

const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

if (!isProvisioned(args.dir)) {
  console.error(`• provisioning ${args.dir}`);
  await provisionDc({ dir: args.dir });
}
const dc = await startDc({ dir: args.dir, ip: args.ip });
try {
  const client = new Client({
    url: dc.info.ldapsUrl,
    tlsOptions: { rejectUnauthorized: false },
    timeout: 60_000,
  });
  await client.bind(dc.info.adminDn, dc.info.adminPassword);
  await seed(client, dc.info.baseDn);
  await ensureServiceAccount(client, dc.info.baseDn, args.dir);

  const full: Measured[] = [];
  for (let n = 0; n < RUNS; n++) full.push(await ours(dc.info.ip));
  const oracleSeconds: number[] = [];
  for (let n = 0; n < RUNS; n++) oracleSeconds.push(oracle(dc.info.ip));

  const changed = 20;
  for (let n = 0; n < changed; n++) {
    const cn = `bench-${String(n * 10).padStart(6, '0')}`;
    await client.modify(
      `CN=${cn},OU=bench,${dc.info.baseDn}`,
      new Change({
        operation: 'replace',
        modification: new Attribute({
          type: 'unicodePwd',
          values: [pwd(`New!${randomBytes(6).toString('hex')}`)],
        }),
      }),
    );
  }
  const last = full.at(-1);
  const incremental = await ours(dc.info.ip, last?.watermark);
  await client.unbind();

  const f = full.map((m) => m.seconds);
  const users = last?.objects ?? 0;
  console.log(
    `MS-DRSR replication, Samba AD DC on ${dc.info.ip}, ${users} user accounts returned (${last?.hashes} with an NT hash)`,
  );
  console.log(
    `  cloudsync full domain:      median ${median(f).toFixed(2)} s of ${RUNS} (${f.map((s) => s.toFixed(2)).join(', ')}), ${(users / median(f)).toFixed(0)} accounts/s`,
  );
  console.log(
    `  Samba oracle (--mode nc):   median ${median(oracleSeconds).toFixed(2)} s of ${RUNS} (${oracleSeconds.map((s) => s.toFixed(2)).join(', ')}), same DC, same run`,
  );
  console.log(
    `  cloudsync incremental:      ${incremental.seconds.toFixed(2)} s for ${changed} changed passwords (${incremental.objects} accounts returned, ${incremental.hashes} hashes)`,
  );
} finally {
  await dc.stop();
}
