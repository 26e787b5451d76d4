import { odataString } from '../api/client.js';
import type { Contact } from '../api/types.js';
import { Page } from '../components/ui.js';
import { SimpleList } from './simple-list.js';

const url = (search: string) => {
  const q = new URLSearchParams({ $top: '25', $count: 'true' });
  if (search) q.set('$filter', `startswith(displayName,${odataString(search)})`);
  q.set('$orderby', 'displayName');
  return `/v1.0/contacts?${q.toString()}`;
};

export function ContactsPage() {
  return (
    <Page title="Contacts">
      <SimpleList<Contact>
        label="Contacts"
        searchLabel="Search by name"
        url={url}
        columns={[
          { header: 'Display name', cell: (c) => c.displayName ?? '—' },
          { header: 'Mail', cell: (c) => c.mail ?? '—' },
          { header: 'Company', cell: (c) => c.companyName ?? '—' },
          { header: 'Source', cell: (c) => (c.onPremisesSyncEnabled ? 'Windows Server AD' : 'Cloud') },
        ]}
      />
    </Page>
  );
}
