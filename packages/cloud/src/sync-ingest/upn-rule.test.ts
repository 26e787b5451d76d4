import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { parseUpn } from '../directory/users/user-rules.js';
import { cleanLocalPart, decideUpn, type UpnRuleInput } from './upn-rule.js';

const base = {
  anchor: 'AAECAwQFBgcICQoLDA0ODw==',
  verifiedDomains: new Set(['contoso.cloudsync.test', 'contoso.com']),
  initialDomain: 'contoso.cloudsync.test',
};

test('a verified suffix is kept', async () => {
  const d = await decideUpn({ ...base, requested: 'bobby@Contoso.com', isTaken: async () => false });
  assert.deepEqual(d, { userPrincipalName: 'bobby@contoso.com' });
});

test('an unverified suffix moves to the initial domain, with a note', async () => {
  const d = await decideUpn({ ...base, requested: 'bobby@corp.example.test', isTaken: async () => false });
  assert.equal(d.userPrincipalName, 'bobby@contoso.cloudsync.test');
  assert.match(d.note ?? '', /corp\.example\.test is not a verified domain/);
  assert.equal(d.conflict, undefined);
});

test('a conflict gets the same four-digit variant every time, and a different one per anchor', async () => {
  const taken = new Set(['bobby@contoso.cloudsync.test']);
  const isTaken = async (upn: string) => taken.has(upn);
  const a = await decideUpn({ ...base, requested: 'bobby@corp.example.test', isTaken });
  const again = await decideUpn({ ...base, requested: 'bobby@corp.example.test', isTaken });
  const other = await decideUpn({ ...base, anchor: 'zzzz', requested: 'bobby@corp.example.test', isTaken });
  assert.match(a.userPrincipalName, /^bobby\d{4}@contoso\.cloudsync\.test$/);
  assert.equal(a.conflict, true);
  assert.equal(again.userPrincipalName, a.userPrincipalName);
  assert.notEqual(other.userPrincipalName, a.userPrincipalName);
  taken.add(a.userPrincipalName);
  const next = await decideUpn({ ...base, requested: 'bobby@corp.example.test', isTaken });
  assert.notEqual(next.userPrincipalName, a.userPrincipalName);
  assert.ok(!taken.has(next.userPrincipalName));
});

test('odd local parts are cleaned, never empty, never over 64 characters', () => {
  assert.equal(cleanLocalPart('Zoë Ångström'), 'ZoeAngstrom');
  assert.equal(cleanLocalPart('李雷'), 'user');
  assert.equal(cleanLocalPart('..a..b..'), 'a.b');
  assert.equal(cleanLocalPart('x'.repeat(500)).length, 64);
});

test('everything taken still yields a unique UPN', async () => {
  const d = await decideUpn({ ...base, requested: 'a@contoso.com', isTaken: async (u) => !u.includes('-') });
  assert.match(d.userPrincipalName, /^a-[0-9a-f]{12}@contoso\.com$/);
});

test('a local part cut at 64 characters never ends in a dot', async () => {
  const d = await decideUpn({
    ...base,
    requested: `${'a'.repeat(63)}.b@contoso.com`,
    isTaken: async () => false,
  });
  assert.equal(d.userPrincipalName, `${'a'.repeat(63)}@contoso.com`);
  assert.match(d.note ?? '', /shortened/);
  assert.equal(cleanLocalPart(`${'a'.repeat(63)}.b`), 'a'.repeat(63));
  const variant = await decideUpn({
    ...base,
    requested: `${'x'.repeat(59)}.${'y'.repeat(9)}@contoso.com`,
    isTaken: async (u) => u === `${'x'.repeat(59)}.${'y'.repeat(4)}@contoso.com`,
  });
  assert.match(variant.userPrincipalName, /^x{59}\d{4}@contoso\.com$/);
});

/** A valid DNS name of `length` characters (labels of at most 63), ending in `.test`. */
function longDomain(length: number): string {
  let name = 'test';
  while (name.length < length) name = `${'d'.repeat(Math.min(63, length - name.length - 1))}.${name}`;
  return name;
}

// Characters a UPN keeps or loses: ASCII symbols, a full-width @, a ligature, dot leaders, a
// combining accent, CJK, an emoji, Cyrillic, a no-break space, a circled digit; and runs of dots.
const PIECES = [
  ...'aZ9.-_\'!#^~&+= @"(),:;<>[]\\/\uff20\u00e9\u00df\ufb01\u2024\u2025\u0301\u674e\u{1f600}\u0410\u00a0\u2460',
  'bob',
  '..',
  '...',
];

/** Up to 200 characters of PIECES chosen by SHA-512 of `seed`: the same on every run. */
function oddText(seed: string): string {
  let out = '';
  for (let block = 0; out.length < 200; block++) {
    for (const b of createHash('sha512').update(`${seed}:${block}`).digest())
      out += PIECES[b % PIECES.length] ?? '.';
  }
  return out.slice(0, createHash('sha256').update(seed).digest().readUInt16BE(0) % 201);
}

/** Odd local parts: the hand-picked ones, then generated ones up to 200 characters. */
function oddLocalParts(): string[] {
  const fixed = [
    '',
    '.',
    '.'.repeat(200),
    '!!!',
    '&&&',
    '@@@',
    '\u674e\u96f7'.repeat(100),
    `${'a'.repeat(63)}.b`,
    `.${'a'.repeat(63)}.b.`,
    'a.'.repeat(100),
    'a'.repeat(200),
    `${'x'.repeat(59)}.${'y'.repeat(9)}`,
    `${'a'.repeat(60)}.bcd`,
    `${'a'.repeat(55)}..b`,
    'Zo\u00eb \u00c5ngstr\u00f6m',
    '\ud83d\ude00'.repeat(80),
  ];
  return [...fixed, ...Array.from({ length: 400 }, (_, i) => oddText(`odd-${i}`))];
}

test('whatever AD holds, the rule gives a UPN the directory accepts, conflict or not', async () => {
  // 99 characters leave 13 before the `@`, just room for the last resort; 100 and more, too little.
  const long = longDomain(99);
  const tooLong = [longDomain(100), longDomain(200)];
  const verifiedDomains = new Set([...base.verifiedDomains, long, ...tooLong]);
  const suffixes = ['contoso.com', 'Contoso.COM', 'corp.example.test', long, ...tooLong, ''];
  // Nothing taken; the plain UPN taken; every four-digit variant taken too (the last resort).
  const takers: Array<(first: string) => UpnRuleInput['isTaken']> = [
    () => async () => false,
    (first) => async (u) => u === first,
    () => async (u) => !/-[0-9a-f]{0,12}@/.test(u),
  ];
  let checked = 0;
  for (const [i, local] of oddLocalParts().entries()) {
    const suffix = suffixes[i % suffixes.length] ?? '';
    const requested = suffix ? `${local}@${suffix}` : local;
    const input = { ...base, verifiedDomains, anchor: `anchor-${i}`, requested };
    const { userPrincipalName: first } = await decideUpn({ ...input, isTaken: async () => false });
    for (const taker of takers) {
      const d = await decideUpn({ ...input, isTaken: taker(first) });
      assert.doesNotThrow(
        () => parseUpn(d.userPrincipalName),
        `${JSON.stringify(requested)} gave ${d.userPrincipalName}`,
      );
      const domain = parseUpn(d.userPrincipalName).domain;
      assert.ok(verifiedDomains.has(domain) && !tooLong.includes(domain), d.userPrincipalName);
      assert.deepEqual(await decideUpn({ ...input, isTaken: taker(first) }), d, 'the same every time');
      checked++;
    }
  }
  assert.ok(checked > 1000);
});
