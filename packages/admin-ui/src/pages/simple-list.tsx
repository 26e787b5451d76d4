import { type ReactNode, useEffect, useState } from 'react';
import { odataString } from '../api/client.js';
import { usePagedList } from '../api/hooks.js';
import { Field } from '../components/form-parts.js';
import { EmptyRow, ListStatus, Pager, TableHead } from '../components/list-parts.js';

export interface Column<T> {
  header: string;
  cell(item: T): ReactNode;
}

/**
 * The URL of a list searched by display name (prefix), ordered by it, 25 a page with the count.
 * @example
 *   <SimpleList url={searchByDisplayName('/v1.0/groups')} ... />
 */
export function searchByDisplayName(collection: string): (search: string) => string {
  return (search) => {
    const q = new URLSearchParams({ $top: '25', $count: 'true' });
    if (search) q.set('$filter', `startswith(displayName,${odataString(search)})`);
    q.set('$orderby', 'displayName');
    return `${collection}?${q.toString()}`;
  };
}

/** A paged, searchable Graph list shown as a table (groups, contacts, deleted users, audit logs). */
export function SimpleList<T extends { id: string }>(props: {
  label: string;
  url(search: string): string;
  columns: Column<T>[];
  searchLabel?: string;
  reloadKey?: number;
}) {
  const [search, setSearch] = useState('');
  const [applied, setApplied] = useState('');
  const list = usePagedList<T>(props.url(applied));
  const { reload } = list;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new reloadKey is the reason to load again
  useEffect(() => {
    if (props.reloadKey) reload();
  }, [props.reloadKey]);
  const id = props.label.toLowerCase().replace(/\W+/g, '-');
  return (
    <>
      {props.searchLabel ? (
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied(search.trim());
          }}
        >
          <Field id={`${id}-search`} label={props.searchLabel}>
            <input
              id={`${id}-search`}
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
          </Field>
          <button type="submit">Search</button>
        </form>
      ) : null}
      <ListStatus
        list={list}
        what={props.label.toLowerCase()}
        prefix={`The ${props.label.toLowerCase()} could not be listed`}
      />
      <table>
        <caption className="sr-only">
          {props.label}, page {list.page}
        </caption>
        <TableHead columns={props.columns.map((c) => c.header)} />
        <tbody>
          {list.items.map((item) => (
            <tr key={item.id}>
              {props.columns.map((c) => (
                <td key={c.header}>{c.cell(item)}</td>
              ))}
            </tr>
          ))}
          <EmptyRow list={list} colSpan={props.columns.length}>
            Nothing to show.
          </EmptyRow>
        </tbody>
      </table>
      <Pager label={props.label} list={list} />
    </>
  );
}
