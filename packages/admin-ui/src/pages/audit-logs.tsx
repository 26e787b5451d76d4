import type { DirectoryAudit } from '../api/types.js';
import { formatDate, Page } from '../components/ui.js';
import { SimpleList } from './simple-list.js';

/** The directory's audit log: every write, who made it, on what, with what result; newest first. */
export function AuditLogsPage() {
  return (
    <Page title="Audit logs">
      <SimpleList<DirectoryAudit>
        label="Audit log entries"
        url={() => '/v1.0/auditLogs/directoryAudits?$top=25'}
        columns={[
          { header: 'Date', cell: (a) => formatDate(a.activityDateTime) },
          { header: 'Activity', cell: (a) => a.activityDisplayName },
          {
            header: 'Initiated by',
            cell: (a) => a.initiatedBy?.user?.userPrincipalName ?? a.initiatedBy?.app?.displayName ?? '—',
          },
          {
            header: 'Target',
            cell: (a) => (a.targetResources ?? []).map((t) => t.displayName ?? t.id).join(', ') || '—',
          },
          { header: 'Result', cell: (a) => `${a.result}${a.resultReason ? `: ${a.resultReason}` : ''}` },
        ]}
      />
    </Page>
  );
}
