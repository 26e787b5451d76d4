import type { Contact } from '../api/types.js';
import { Page } from '../components/ui.js';
import { SimpleList, searchByDisplayName } from './simple-list.js';

export function ContactsPage() {
  return (
    <Page title="Contacts">
      <SimpleList<Contact>
        label="Contacts"
        searchLabel="Search by name"
        url={searchByDisplayName('/v1.0/contacts')}
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
