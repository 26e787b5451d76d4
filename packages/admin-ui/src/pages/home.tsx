import { api, type List } from '../api/client.js';
import { useConfigurations, useLoad } from '../api/hooks.js';
import type { Agent } from '../api/types.js';
import { ErrorText, Page, StatusBadge } from '../components/ui.js';

/** The landing page: the state of sync at a glance and where to go next. */
export function HomePage() {
  const configs = useConfigurations();
  const agents = useLoad(() => api<List<Agent>>('GET', '/v1.0/cloudsync/agents'), 'home-a');
  return (
    <Page title="Home">
      <div className="tiles">
        <section className="card" aria-labelledby="home-sync">
          <h2 id="home-sync">Cloud sync</h2>
          <ErrorText error={configs.error} />
          <ul className="plain">
            {(configs.data?.value ?? []).map((c) => (
              <li key={c.id}>
                <a href={`#/cloud-sync/configurations/${c.id}`}>{c.domain.dnsName}</a>{' '}
                <StatusBadge state={c.status.state} />
              </li>
            ))}
          </ul>
          <p>
            {agents.data
              ? `${agents.data.value.filter((a) => a.status === 'active').length} active agent(s). `
              : ''}
            <a href="#/cloud-sync">Manage cloud sync</a>
          </p>
        </section>
        <section className="card" aria-labelledby="home-links">
          <h2 id="home-links">Directory</h2>
          <ul className="plain">
            <li>
              <a href="#/users">Users</a>
            </li>
            <li>
              <a href="#/groups">Groups</a>
            </li>
            <li>
              <a href="#/domains">Domains</a>
            </li>
            <li>
              <a href="#/audit-logs">Audit logs</a>
            </li>
          </ul>
        </section>
      </div>
    </Page>
  );
}
