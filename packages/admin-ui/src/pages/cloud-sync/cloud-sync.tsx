import { api, type List } from '../../api/client.js';
import { useConfigurations, useLoad } from '../../api/hooks.js';
import type { Agent } from '../../api/types.js';
import { TableHead } from '../../components/list-parts.js';
import { ErrorText, formatDate, Loading, Page, StatusBadge } from '../../components/ui.js';

/** Cloud sync: the agents and the configurations with their status and last cycle. */
export function CloudSyncPage() {
  const agents = useLoad(() => api<List<Agent>>('GET', '/v1.0/cloudsync/agents'), 'agents');
  const configs = useConfigurations();
  return (
    <Page
      title="Cloud sync"
      actions={
        <a className="button primary" href="#/cloud-sync/new">
          New configuration
        </a>
      }
    >
      <section aria-labelledby="configs-title">
        <h2 id="configs-title">Configurations</h2>
        <ErrorText error={configs.error} prefix="The configurations could not be listed" />
        {configs.loading && !configs.data ? <Loading what="configurations" /> : null}
        <table>
          <TableHead columns={['Domain', 'Status', 'Password hash sync', 'Last cycle']} />
          <tbody>
            {(configs.data?.value ?? []).map((c) => (
              <tr key={c.id}>
                <td>
                  <a href={`#/cloud-sync/configurations/${c.id}`}>{c.domain.dnsName}</a>
                </td>
                <td>
                  <StatusBadge state={c.status.state} />
                  {c.status.reason ? <span className="reason"> {c.status.reason}</span> : null}
                  {c.restartPending ? <span className="reason"> (restart pending)</span> : null}
                </td>
                <td>{c.passwordHashSync ? 'On' : 'Off'}</td>
                <td>
                  {formatDate(c.status.lastCycleAt)}
                  {c.status.lastCycleCounts
                    ? ` · ${Object.entries(c.status.lastCycleCounts)
                        .map(([k, v]) => `${k} ${v}`)
                        .join(', ')}`
                    : ''}
                </td>
              </tr>
            ))}
            {configs.data && configs.data.value.length === 0 ? (
              <tr>
                <td colSpan={4}>No configuration yet.</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="agents-title">
        <h2 id="agents-title">Agents</h2>
        <ErrorText error={agents.error} prefix="The agents could not be listed" />
        <table>
          <TableHead columns={['Host', 'Status', 'Version', 'Domains', 'Last contact']} />
          <tbody>
            {(agents.data?.value ?? []).map((a) => (
              <tr key={a.id}>
                <td>{a.host}</td>
                <td>
                  <StatusBadge state={a.status} />
                  {a.runStatus ? ` ${a.runStatus}` : ''}
                  {a.lastError ? <span className="reason"> {a.lastError.message}</span> : null}
                </td>
                <td>{a.version}</td>
                <td>{a.domains.join(', ')}</td>
                <td>{formatDate(a.lastContact)}</td>
              </tr>
            ))}
            {agents.data && agents.data.value.length === 0 ? (
              <tr>
                <td colSpan={5}>
                  No agent registered. Install one next to a domain controller:{' '}
                  <code>cloudsync agent install</code>.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </section>
    </Page>
  );
}
