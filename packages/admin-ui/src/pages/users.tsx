import { useState } from 'react';
import { odataString } from '../api/client.js';
import { usePagedList } from '../api/hooks.js';
import type { User } from '../api/types.js';
import { ErrorText, Loading, Page, Pager } from '../components/ui.js';

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
        <div className="field">
          <label htmlFor="user-search">Search by name or UPN</label>
          <input id="user-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="user-source">Source</label>
          <select
            id="user-source"
            value={applied.source}
            onChange={(e) => setApplied((a) => ({ ...a, source: e.target.value as Source }))} // one of the options below
          >
            <option value="all">All users</option>
            <option value="synced">Synced from on-premises AD</option>
            <option value="cloud">Cloud only</option>
          </select>
        </div>
        <button type="submit">Search</button>
      </form>
      <ErrorText error={list.error} prefix="The users could not be listed" />
      {list.loading && list.items.length === 0 ? <Loading what="users" /> : null}
      <table>
        <caption className="sr-only">Users, page {list.page}</caption>
        <thead>
          <tr>
            <th scope="col">Display name</th>
            <th scope="col">User principal name</th>
            <th scope="col">On-premises sync enabled</th>
            <th scope="col">Source</th>
          </tr>
        </thead>
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
          {!list.loading && list.items.length === 0 ? (
            <tr>
              <td colSpan={4}>No users match.</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <Pager
        label="Users"
        page={list.page}
        count={list.count}
        hasPrevious={list.hasPrevious}
        hasNext={list.hasNext}
        onPrevious={list.previous}
        onNext={list.next}
      />
    </Page>
  );
}
