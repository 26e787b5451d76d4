import { useState } from 'react';
import { odataString } from '../api/client.js';
import { usePagedList } from '../api/hooks.js';
import type { User } from '../api/types.js';
import { Field } from '../components/form-parts.js';
import { EmptyRow, ListStatus, Pager, TableHead } from '../components/list-parts.js';
import { Page } from '../components/ui.js';

const PAGE_SIZE = 25;
const SELECT = 'id,displayName,userPrincipalName,onPremisesSyncEnabled,accountEnabled,usageLocation';

type Source = 'all' | 'synced' | 'cloud';

function listUrl(search: string, source: Source): string {
  const q = new URLSearchParams({ $top: String(PAGE_SIZE), $count: 'true', $select: SELECT });
  const term = search.trim();
  const clauses = [
    term
      ? `(startswith(displayName,${odataString(term)}) or startswith(userPrincipalName,${odataString(term)}))`
      : '',
    source === 'synced'
      ? 'onPremisesSyncEnabled eq true'
      : source === 'cloud'
        ? 'onPremisesSyncEnabled ne true'
        : '',
  ].filter(Boolean);
  if (clauses.length > 0) q.set('$filter', clauses.join(' and '));
  q.set('$orderby', 'displayName');
  return `/v1.0/users?${q.toString()}`;
}

/** Users: display name, UPN, whether on-premises sync is on, and the source; search and filters. */
export function UsersPage() {
  const [search, setSearch] = useState('');
  const [applied, setApplied] = useState({ search: '', source: 'all' as Source });
  const list = usePagedList<User>(listUrl(applied.search, applied.source));
  return (
    <Page title="Users">
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied((a) => ({ ...a, search }));
        }}
      >
        <Field id="user-search" label="Search by name or UPN">
          <input id="user-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </Field>
        <Field id="user-source" label="Source">
          <select
            id="user-source"
            value={applied.source}
            onChange={(e) => setApplied((a) => ({ ...a, source: e.target.value as Source }))} // one of the options below
          >
            <option value="all">All users</option>
            <option value="synced">Synced from on-premises AD</option>
            <option value="cloud">Cloud only</option>
          </select>
        </Field>
        <button type="submit">Search</button>
      </form>
      <ListStatus list={list} what="users" prefix="The users could not be listed" />
      <table>
        <caption className="sr-only">Users, page {list.page}</caption>
        <TableHead columns={['Display name', 'User principal name', 'On-premises sync enabled', 'Source']} />
        <tbody>
          {list.items.map((u) => (
            <tr key={u.id}>
              <td>
                <a href={`#/users/${encodeURIComponent(u.id)}`}>{u.displayName || u.userPrincipalName}</a>
              </td>
              <td>{u.userPrincipalName}</td>
              <td>{u.onPremisesSyncEnabled ? 'Yes' : 'No'}</td>
              <td>{u.onPremisesSyncEnabled ? 'Windows Server AD' : 'Cloud'}</td>
            </tr>
          ))}
          <EmptyRow list={list} colSpan={4}>
            No users match.
          </EmptyRow>
        </tbody>
      </table>
      <Pager label="Users" list={list} />
    </Page>
  );
}
