import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildNextLink } from './next-link.js';

test('the next link keeps the other options as sent and replaces $skiptoken', () => {
  const url =
    'https://cloud.example/v1.0/users?$filter=startswith(displayName,%27a%20b%27)&$top=5&$SkipToken=old.one&x=1';
  assert.equal(
    buildNextLink(url, 'eyJ9.sig-_'),
    'https://cloud.example/v1.0/users?$filter=startswith(displayName,%27a%20b%27)&$top=5&x=1&$skiptoken=eyJ9.sig-_',
  );
});

test('a URL without a query gets one; an encoded $skiptoken name is replaced too', () => {
  assert.equal(
    buildNextLink('http://localhost:3000/v1.0/users', 'a.b'),
    'http://localhost:3000/v1.0/users?$skiptoken=a.b',
  );
  assert.equal(
    buildNextLink(new URL('http://localhost/v1.0/groups?%24skiptoken=x&$count=true#frag'), 'a.b'),
    'http://localhost/v1.0/groups?$count=true&$skiptoken=a.b',
  );
});

test('the link round-trips through URL parsing', () => {
  const link = buildNextLink('https://h/v1.0/users?$filter=mail%20eq%20%27a%2Bb%40c.d%27', 'tok.en');
  const parsed = new URL(link);
  assert.equal(parsed.searchParams.get('$filter'), "mail eq 'a+b@c.d'");
  assert.equal(parsed.searchParams.get('$skiptoken'), 'tok.en');
});

test('a relative URL is a programming error', () => {
  assert.throws(() => buildNextLink('/v1.0/users', 'a.b'), TypeError);
});
