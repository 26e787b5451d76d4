import assert from 'node:assert/strict';
import { test } from 'node:test';
import { protocolExamples } from '../examples.js';
import { LIMITS } from '../limits.js';
import { changeSetPageSchema } from './change-set.js';

const base = () => structuredClone(protocolExamples.changeSetPage) as unknown as Record<string, unknown>;

test('a page past the change limit is refused', () => {
  const page = base();
  const one = (page.changes as unknown[])[0];
  page.changes = Array.from({ length: LIMITS.changesPerPage + 1 }, () => one);
  assert.equal(changeSetPageSchema.safeParse(page).success, false);
});

test('an upsert without attributes, or with a bad anchor, is refused', () => {
  const page = base();
  const changes = page.changes as Record<string, unknown>[];
  delete changes[0]?.attributes;
  assert.equal(changeSetPageSchema.safeParse(page).success, false);
  const page2 = base();
  const c2 = page2.changes as Record<string, unknown>[];
  if (c2[0]) c2[0].anchor = 'not-an-anchor';
  assert.equal(changeSetPageSchema.safeParse(page2).success, false);
});

test('an unknown op or object type is refused', () => {
  for (const patch of [{ op: 'rename' }, { objectType: 'computer' }]) {
    const page = base();
    const changes = page.changes as Record<string, unknown>[];
    Object.assign(changes[0] ?? {}, patch);
    assert.equal(changeSetPageSchema.safeParse(page).success, false, JSON.stringify(patch));
  }
});

test('too many attribute values or a huge string are refused; empty arrays and null pass', () => {
  const page = base();
  const attrs = (page.changes as { attributes: Record<string, unknown> }[])[0]?.attributes ?? {};
  attrs.proxyAddresses = [];
  attrs.jobTitle = null;
  attrs.displayName = 'ä'.repeat(1000);
  assert.ok(changeSetPageSchema.safeParse(page).success);
  attrs.proxyAddresses = Array.from({ length: LIMITS.attributeValues + 1 }, (_, i) => `smtp:a${i}@x.test`);
  assert.equal(changeSetPageSchema.safeParse(page).success, false);
  attrs.proxyAddresses = [];
  attrs.displayName = 'x'.repeat(LIMITS.attributeValueLength + 1);
  assert.equal(changeSetPageSchema.safeParse(page).success, false);
});

test('NUL in a value is refused', () => {
  const page = base();
  const attrs = (page.changes as { attributes: Record<string, unknown> }[])[0]?.attributes ?? {};
  attrs.displayName = 'a\u0000b';
  assert.equal(changeSetPageSchema.safeParse(page).success, false);
  attrs.displayName = 'ok';
  attrs.proxyAddresses = ['smtp:a@x', 'b\u0000'];
  assert.equal(changeSetPageSchema.safeParse(page).success, false);
});

test('sequence starts at 1', () => {
  const page = base();
  page.sequence = 0;
  assert.equal(changeSetPageSchema.safeParse(page).success, false);
});

test('a skipped change needs its DN, a known code and a reason', () => {
  const page = base();
  const changes = page.changes as Record<string, unknown>[];
  const skipped = changes.find((c) => c.op === 'skipped');
  assert.ok(skipped, 'the example page carries a skipped change');
  assert.ok(changeSetPageSchema.safeParse(page).success);
  for (const patch of [{ code: 'NO_SUCH_CODE' }, { reason: undefined }, { distinguishedName: undefined }]) {
    const again = base();
    const target = (again.changes as Record<string, unknown>[]).find((c) => c.op === 'skipped') ?? {};
    Object.assign(target, patch);
    assert.equal(changeSetPageSchema.safeParse(again).success, false, JSON.stringify(patch));
  }
});
