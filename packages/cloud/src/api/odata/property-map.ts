import { ODataError } from './errors.js';

/**
 * How a property's values are stored and compared.
 * - `string`: text; with `caseInsensitive` compared as `lower(column) = lower(?)` (index `lower(column)`).
 * - `bool`: PostgreSQL `boolean`, SQLite `integer` 0/1.
 * - `datetime`: PostgreSQL `timestamptz(3)` (millisecond precision, so values survive a round trip
 *   through a JS `Date`), SQLite text in `Date#toISOString()` form so text order is time order.
 * - `guid`: lower-case text, or PostgreSQL `uuid`.
 * - `number`: real, or integer with {@link ScalarProperty.integer}.
 */
export type PropertyType = 'string' | 'bool' | 'datetime' | 'guid' | 'number';

/** One Graph property stored in one column. */
export interface ScalarProperty {
  /** Column in the list query, optionally qualified (`users.display_name`). Comes from code, never from input. */
  column: string;
  type: PropertyType;
  /** May appear in `$filter` (default false: Graph refuses most properties). */
  filterable?: boolean;
  /** May appear in `$orderby` (default false). */
  sortable?: boolean;
  /**
   * String comparisons ignore case, as Graph does for userPrincipalName, mail and displayName. They use
   * SQL `lower()` on both sides, which folds all of Unicode in PostgreSQL but only ASCII letters in SQLite.
   * In PostgreSQL, give such columns the database's default collation: `lower()` folds by the collation of
   * its argument, and the bound value has the default one.
   */
  caseInsensitive?: boolean;
  /**
   * May appear in `$search="property:term"`, always ignoring case. `words`: the term starts any word (after
   * a space, `.`, `-`, `_` or `@`), Graph's tokenised search of displayName and description; `prefix`: the
   * term starts the value, as Graph searches mail and userPrincipalName.
   */
  search?: 'words' | 'prefix';
  /**
   * For `number`s kept in an SQL `integer` (32-bit) column: a fractional or out-of-range literal is then a
   * 400, not a database error.
   */
  integer?: boolean;
}

/**
 * A multi-valued Graph property kept in a child table, filtered with `any`:
 * `assignedLicenses/any(x:x/skuId eq 6fd2c87f-…)` or `proxyAddresses/any(p:startswith(p,'smtp:'))`.
 */
export interface CollectionProperty {
  type: 'collection';
  /** Child table, one row per element. */
  table: string;
  /** Column of the child table that holds the owner's key ({@link PropertyMap.key}). */
  foreignKey: string;
  filterable?: boolean;
  /** For elements that are objects: their properties, with columns of the child table. */
  properties?: Readonly<Record<string, ScalarProperty>>;
  /** For elements that are single values (strings, GUIDs): the child table's column holding them. */
  value?: ScalarProperty;
}

export type PropertySpec = ScalarProperty | CollectionProperty;

/**
 * What the OData layer may touch of one Graph resource: anything not named here is refused with a 400.
 *
 * @example
 * ```ts
 * export const USER_PROPERTIES = definePropertyMap({
 *   resource: 'user',
 *   key: 'users.id',
 *   properties: {
 *     id: { column: 'users.id', type: 'guid', filterable: true },
 *     displayName: { column: 'users.display_name', type: 'string', filterable: true, sortable: true, caseInsensitive: true },
 *     userPrincipalName: { column: 'users.upn', type: 'string', filterable: true, sortable: true, caseInsensitive: true },
 *     accountEnabled: { column: 'users.account_enabled', type: 'bool', filterable: true },
 *     'onPremisesExtensionAttributes/extensionAttribute1': { column: 'users.ext1', type: 'string', filterable: true },
 *     createdDateTime: { column: 'users.created_at', type: 'datetime', filterable: true, sortable: true },
 *     assignedLicenses: {
 *       type: 'collection', table: 'user_licenses', foreignKey: 'user_id', filterable: true,
 *       properties: { skuId: { column: 'sku_id', type: 'guid', filterable: true } },
 *     },
 *   },
 * });
 * ```
 */
export interface PropertyMap {
  /** Graph entity type name in lower camel case: `user`, `group`. */
  resource: string;
  /** The unique, non-null key column (the object id): the tie-breaker of every sort and the owner of collections. */
  key: string;
  properties: Readonly<Record<string, PropertySpec>>;
}

/**
 * Checks and freezes a {@link PropertyMap}; its names are then looked up ignoring case, as Graph reads them.
 * Throws a TypeError for a map that could not work (two names differing only in case, `caseInsensitive` on
 * a non-string, a collection with neither `properties` nor `value`): a programming error, found at start-up.
 */
export function definePropertyMap(map: PropertyMap): PropertyMap {
  const seen = new Set<string>();
  for (const [name, spec] of Object.entries(map.properties)) {
    const lower = name.toLowerCase();
    if (seen.has(lower))
      throw new TypeError(`${map.resource}: two properties are named '${name}' ignoring case.`);
    seen.add(lower);
    const scalars =
      spec.type === 'collection' ? [...Object.values(spec.properties ?? {}), spec.value] : [spec];
    if (spec.type === 'collection' && !spec.properties && !spec.value) {
      throw new TypeError(
        `${map.resource}.${name}: a collection needs element properties or a value column.`,
      );
    }
    for (const scalar of scalars) {
      if ((scalar?.caseInsensitive || scalar?.search) && scalar.type !== 'string') {
        throw new TypeError(`${map.resource}.${name}: only strings can be case-insensitive or searched.`);
      }
    }
  }
  return Object.freeze({ ...map, properties: Object.freeze({ ...map.properties }) });
}

const lookups = new WeakMap<PropertyMap, Map<string, string>>();

/** Finds a property by name, ignoring case; returns its canonical name and spec, or undefined. */
export function findProperty(
  map: PropertyMap,
  name: string,
): { name: string; spec: PropertySpec } | undefined {
  let lookup = lookups.get(map);
  if (!lookup) {
    lookup = new Map(Object.keys(map.properties).map((key) => [key.toLowerCase(), key]));
    lookups.set(map, lookup);
  }
  const canonical = lookup.get(name.toLowerCase());
  const spec = canonical === undefined ? undefined : map.properties[canonical];
  return canonical === undefined || !spec ? undefined : { name: canonical, spec };
}

/** Like {@link findProperty}, but a missing property is Graph's 400 "Could not find a property named…". */
export function requireProperty(
  map: PropertyMap,
  name: string,
  option: string,
): { name: string; spec: PropertySpec } {
  const found = findProperty(map, name);
  if (!found) {
    throw new ODataError(
      'BadRequest',
      `Could not find a property named '${name}' on type 'microsoft.graph.${map.resource}'.`,
      { option, property: name },
    );
  }
  return found;
}

/** Graph's 400 for a property that exists but cannot be used this way. */
export function unsupportedProperty(map: PropertyMap, property: string, option: string): ODataError {
  const resource = map.resource.charAt(0).toUpperCase() + map.resource.slice(1);
  const clause = option === '$orderby' ? 'sort' : 'filter';
  return new ODataError(
    'Request_UnsupportedQuery',
    `Unsupported or invalid query ${clause} clause specified for property '${property}' of resource '${resource}'.`,
    { option, property },
  );
}

/** The part of a qualified column after its last dot: the key a selected row carries it under. */
export function columnName(column: string): string {
  return column.slice(column.lastIndexOf('.') + 1);
}
