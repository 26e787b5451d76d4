import { type ReactNode, useEffect, useState } from 'react';
import { usePagedList } from '../api/hooks.js';
import { ErrorText, Loading, Pager } from '../components/ui.js';

export interface Column<T> {
  header: string;
  cell(item: T): ReactNode;
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
          <div className="field">
            <label htmlFor={`${id}-search`}>{props.searchLabel}</label>
            <input
              id={`${id}-search`}
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
          </div>
          <button type="submit">Search</button>
        </form>
      ) : null}
      <ErrorText error={list.error} prefix={`The ${props.label.toLowerCase()} could not be listed`} />
      {list.loading && list.items.length === 0 ? <Loading what={props.label.toLowerCase()} /> : null}
      <table>
        <caption className="sr-only">
          {props.label}, page {list.page}
        </caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th scope="col" key={c.header}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {list.items.map((item) => (
            <tr key={item.id}>
              {props.columns.map((c) => (
                <td key={c.header}>{c.cell(item)}</td>
              ))}
            </tr>
          ))}
          {!list.loading && list.items.length === 0 ? (
            <tr>
              <td colSpan={props.columns.length}>Nothing to show.</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <Pager
        label={props.label}
        page={list.page}
        count={list.count}
        hasPrevious={list.hasPrevious}
        hasNext={list.hasNext}
        onPrevious={list.previous}
        onNext={list.next}
      />
    </>
  );
}
