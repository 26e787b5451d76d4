// Pieces the paged lists share: their error and loading lines, header row, empty row and pager.
import type { ReactNode } from 'react';
import type { PagedList } from '../api/hooks.js';
import { ErrorText, Loading } from './ui.js';

type ListState = Pick<PagedList<unknown>, 'items' | 'error' | 'loading'>;

/** Why a list could not load (prefixed), or that it is loading while nothing is shown yet. */
export function ListStatus(props: { list: ListState; what: string; prefix: string }) {
  return (
    <>
      <ErrorText error={props.list.error} prefix={props.prefix} />
      {props.list.loading && props.list.items.length === 0 ? <Loading what={props.what} /> : null}
    </>
  );
}

/** A table's header row of column headers. */
export function TableHead(props: { columns: readonly string[] }) {
  return (
    <thead>
      <tr>
        {props.columns.map((c) => (
          <th scope="col" key={c}>
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** The one row of a list that loaded empty, spanning `colSpan` columns. */
export function EmptyRow(props: { list: ListState; colSpan: number; children: ReactNode }) {
  if (props.list.loading || props.list.items.length > 0) return null;
  return (
    <tr>
      <td colSpan={props.colSpan}>{props.children}</td>
    </tr>
  );
}

/** Previous and next page of a paged list, with the page number and the count when the API gave it. */
export function Pager(props: {
  label: string;
  list: Pick<PagedList<unknown>, 'page' | 'count' | 'hasPrevious' | 'hasNext' | 'previous' | 'next'>;
}) {
  const { list } = props;
  return (
    <nav className="pager" aria-label={`${props.label} pages`}>
      <button type="button" onClick={list.previous} disabled={!list.hasPrevious}>
        Previous page
      </button>
      <span aria-live="polite">
        Page {list.page}
        {list.count === undefined ? '' : ` · ${list.count} in all`}
      </span>
      <button type="button" onClick={list.next} disabled={!list.hasNext}>
        Next page
      </button>
    </nav>
  );
}
