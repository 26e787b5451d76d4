import type { Group } from '../api/types.js';
import { Page } from '../components/ui.js';
import { SimpleList, searchByDisplayName } from './simple-list.js';

export function GroupsPage() {
  return (
    <Page title="Groups">
      <SimpleList<Group>
        label="Groups"
        searchLabel="Search by name"
        url={searchByDisplayName('/v1.0/groups')}
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
