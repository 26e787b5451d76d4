import { AuditLogsPage } from './pages/audit-logs.js';
import { CloudSyncPage } from './pages/cloud-sync/cloud-sync.js';
import { ConfigurationPage } from './pages/cloud-sync/configuration.js';
import { NewConfigurationPage } from './pages/cloud-sync/new-configuration.js';
import { ContactsPage } from './pages/contacts.js';
import { DeletedUsersPage } from './pages/deleted-users.js';
import { DomainsPage } from './pages/domains.js';
import { GroupPage } from './pages/group.js';
import { GroupsPage } from './pages/groups.js';
import { HomePage } from './pages/home.js';
import { PasswordResetPage } from './pages/password-reset.js';
import { ProvisioningLogsPage } from './pages/provisioning-logs.js';
import { SyncHealthPage } from './pages/sync-health.js';
import { UserPage } from './pages/user.js';
import { UsersPage } from './pages/users.js';

/** Picks the page for a hash path (`/users/{id}`, `/cloud-sync/configurations/{id}`, ...). */
export function Routes(props: { path: string }) {
  const [bare = '/', query = ''] = props.path.split('?');
  const parts = bare.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  const [first, second, third] = parts;
  switch (first) {
    case undefined:
      return <HomePage />;
    case 'users':
      return second ? <UserPage id={second} /> : <UsersPage />;
    case 'deleted-users':
      return <DeletedUsersPage />;
    case 'groups':
      return second ? <GroupPage id={second} /> : <GroupsPage />;
    case 'contacts':
      return <ContactsPage />;
    case 'domains':
      return <DomainsPage />;
    case 'password-reset':
      return <PasswordResetPage />;
    case 'audit-logs':
      return <AuditLogsPage />;
    case 'provisioning-logs':
      return <ProvisioningLogsPage initial={params} />;
    case 'sync-health':
      return <SyncHealthPage />;
    case 'cloud-sync':
      if (second === 'new') return <NewConfigurationPage />;
      if (second === 'configurations' && third) return <ConfigurationPage id={third} />;
      return <CloudSyncPage />;
    default:
      return (
        <section className="page">
          <h1>Not found</h1>
          <p>
            There is no page at <code>{bare}</code>. <a href="#/">Go home</a>.
          </p>
        </section>
      );
  }
}
