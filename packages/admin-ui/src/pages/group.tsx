import { api } from '../api/client.js';
import { useLoad } from '../api/hooks.js';
import type { Group } from '../api/types.js';
import { Page, WhenLoaded } from '../components/ui.js';
import { SimpleList } from './simple-list.js';

interface Member {
  id: string;
  '@odata.type'?: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
}

const kindOf = (m: Member) => (m['@odata.type'] ?? '').replace('#microsoft.graph.', '') || 'object';

/** One group: its properties and its members, a page at a time. */
export function GroupPage(props: { id: string }) {
  const group = useLoad(() => api<Group>('GET', `/v1.0/groups/${encodeURIComponent(props.id)}`), props.id);
  const g = group.data;
  return (
    <Page title={g ? g.displayName : 'Group'}>
      <p>
        <a href="#/groups">← All groups</a>
      </p>
      <WhenLoaded loaded={group} what="the group" prefix="The group could not be read">
        {(g) => (
          <>
            <dl className="facts">
              <dt>Description</dt>
              <dd>{g.description ?? '—'}</dd>
              <dt>Mail</dt>
              <dd>{g.mail ?? '—'}</dd>
              <dt>Security enabled</dt>
              <dd>{g.securityEnabled ? 'Yes' : 'No'}</dd>
              <dt>Source</dt>
              <dd>
                {g.onPremisesSyncEnabled ? 'Windows Server AD (members are managed on premises)' : 'Cloud'}
              </dd>
            </dl>
            <h2>Members</h2>
            <SimpleList<Member>
              label="Members"
              url={() => `/v1.0/groups/${encodeURIComponent(props.id)}/members?$top=25`}
              columns={[
                {
                  header: 'Name',
                  cell: (m) =>
                    kindOf(m) === 'user' ? (
                      <a href={`#/users/${m.id}`}>{m.displayName ?? m.userPrincipalName ?? m.id}</a>
                    ) : kindOf(m) === 'group' ? (
                      <a href={`#/groups/${m.id}`}>{m.displayName ?? m.id}</a>
                    ) : (
                      (m.displayName ?? m.id)
                    ),
                },
                { header: 'Type', cell: kindOf },
                { header: 'UPN or mail', cell: (m) => m.userPrincipalName ?? m.mail ?? '—' },
              ]}
            />
          </>
        )}
      </WhenLoaded>
    </Page>
  );
}
