import { odataString } from '../api/client.js';
import type { Group } from '../api/types.js';
import { Page } from '../components/ui.js';
import { SimpleList } from './simple-list.js';

const url = (search: string) => {
  const q = new URLSearchParams({ $top: '25', $count: 'true' });
  if (search) q.set('$filter', `startswith(displayName,${odataString(search)})`);
  q.set('$orderby', 'displayName');
  return `/v1.0/groups?${q.toString()}`;
};

export function GroupsPage() {
  return (
    <Page title="Groups">
      <SimpleList<Group>
        label="Groups"
        searchLabel="Search by name"
        url={url}
        columns={[
          { header: 'Display name', cell: (g) => <a href={`#/groups/${g.id}`}>{g.displayName}</a> },
          {
            header: 'Type',
            cell: (g) =>
              g.groupTypes?.includes('Unified')
                ? 'Microsoft 365'
                : g.securityEnabled
                  ? 'Security'
                  : 'Distribution',
          },
          { header: 'Mail', cell: (g) => g.mail ?? '—' },
          { header: 'Source', cell: (g) => (g.onPremisesSyncEnabled ? 'Windows Server AD' : 'Cloud') },
        ]}
      />
    </Page>
  );
}
