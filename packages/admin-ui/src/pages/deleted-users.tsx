import { useState } from 'react';
import { api } from '../api/client.js';
import type { User } from '../api/types.js';
import { StatusNote } from '../components/form-parts.js';
import { ErrorText, formatDate, Page } from '../components/ui.js';
import { SimpleList } from './simple-list.js';

/** Soft-deleted users (30 days) and their restore. */
export function DeletedUsersPage() {
  const [error, setError] = useState<unknown>();
  const [restored, setRestored] = useState('');
  const [tick, setTick] = useState(0);
  const restore = (u: User) => {
    setError(undefined);
    api('POST', `/v1.0/directory/deletedItems/${u.id}/restore`).then(() => {
      setRestored(u.userPrincipalName);
      setTick((t) => t + 1);
    }, setError);
  };
  return (
    <Page title="Deleted users">
      <ErrorText error={error} prefix="The user could not be restored" />
      <StatusNote>{restored ? `${restored} was restored.` : null}</StatusNote>
      <SimpleList<User>
        label="Deleted users"
        reloadKey={tick}
        url={() => '/v1.0/directory/deletedItems/microsoft.graph.user?$top=25&$count=true'}
        columns={[
          { header: 'Display name', cell: (u) => u.displayName ?? '—' },
          { header: 'User principal name', cell: (u) => u.userPrincipalName },
          { header: 'Deleted', cell: (u) => formatDate(u.deletedDateTime) },
          {
            header: 'Restore',
            cell: (u) => (
              <button type="button" onClick={() => restore(u)} aria-label={`Restore ${u.userPrincipalName}`}>
                Restore
              </button>
            ),
          },
        ]}
      />
    </Page>
  );
}
