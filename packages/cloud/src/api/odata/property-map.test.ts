import assert from 'node:assert/strict';
import { test } from 'node:test';
import { definePropertyMap, findProperty } from './property-map.js';

test('names are found ignoring case and come back canonical', () => {
  const map = definePropertyMap({
    resource: 'group',
    key: 'groups.id',
    properties: { displayName: { column: 'groups.display_name', type: 'string' } },
  });
  assert.equal(findProperty(map, 'DISPLAYNAME')?.name, 'displayName');
  assert.equal(findProperty(map, 'display_name'), undefined);
  assert.ok(Object.isFrozen(map) && Object.isFrozen(map.properties));
});

test('maps that could not work are refused when they are defined', () => {
  assert.throws(
    () =>
      definePropertyMap({
        resource: 'user',
        key: 'id',
        properties: { mail: { column: 'a', type: 'string' }, Mail: { column: 'b', type: 'string' } },
      }),
    /two properties are named 'Mail'/,
  );
  assert.throws(
    () =>
      definePropertyMap({
        resource: 'user',
        key: 'id',
        properties: { count: { column: 'c', type: 'number', caseInsensitive: true } },
      }),
    /only strings/,
  );
  assert.throws(
    () =>
      definePropertyMap({
        resource: 'user',
        key: 'id',
        properties: { tags: { type: 'collection', table: 't', foreignKey: 'owner' } },
      }),
    /a collection needs/,
  );
});
