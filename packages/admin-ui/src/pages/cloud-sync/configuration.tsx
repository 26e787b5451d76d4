import { useEffect, useState } from 'react';
import { api } from '../../api/client.js';
import { useLoad } from '../../api/hooks.js';
import type { Configuration } from '../../api/types.js';
import { StatusNote } from '../../components/form-parts.js';
import { ErrorText, formatDate, Page, StatusBadge, WhenLoaded } from '../../components/ui.js';
import { ConfigurationSettings } from './configuration-settings.js';
import { HeldDeletions } from './held-deletions.js';
import { ProvisionOnDemand } from './provision-on-demand.js';

/** Edit configuration: status, enable switch, restart, settings, held deletions, provision on demand. */
export function ConfigurationPage(props: { id: string }) {
  const config = useLoad(
    () => api<Configuration>('GET', `/v1.0/cloudsync/configurations/${props.id}`),
    props.id,
  );
  const c = config.data;
  return (
    <Page title={c ? `Configuration ${c.domain.dnsName}` : 'Configuration'}>
      <p>
        <a href="#/cloud-sync">← Cloud sync</a>
      </p>
      <WhenLoaded loaded={config} what="the configuration" prefix="The configuration could not be read">
        {(c) => (
          <>
            <StatusCard config={c} onChanged={config.reload} />
            <ConfigurationSettings config={c} onSaved={config.reload} />
            <HeldDeletions configurationId={c.id} />
            <ProvisionOnDemand configurationId={c.id} />
          </>
        )}
      </WhenLoaded>
    </Page>
  );
}

function StatusCard({ config, onChanged }: { config: Configuration; onChanged(): void }) {
  const [error, setError] = useState<unknown>();
  const [note, setNote] = useState('');
  const [enabled, setEnabled] = useState(config.enabled);
  useEffect(() => setEnabled(config.enabled), [config.enabled]);
  const act = (path: string, done: string, after?: () => void) => {
    setError(undefined);
    setNote('');
    api('POST', `/v1.0/cloudsync/configurations/${config.id}/${path}`).then(() => {
      after?.();
      setNote(done);
      onChanged();
    }, setError);
  };
  return (
    <section className="card" aria-labelledby="status-title">
      <h2 id="status-title">Status</h2>
      <p>
        <StatusBadge state={config.status.state} />
        {config.status.reason ? <span className="reason"> {config.status.reason}</span> : null}
      </p>
      <dl className="facts">
        <dt>Last cycle</dt>
        <dd>{formatDate(config.status.lastCycleAt)}</dd>
        <dt>Last cycle counts</dt>
        <dd>
          {config.status.lastCycleCounts
            ? Object.entries(config.status.lastCycleCounts)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ')
            : '—'}
        </dd>
        <dt>Version</dt>
        <dd>{config.version}</dd>
      </dl>
      <div className="actions">
        <button
          type="button"
          role="switch"
          aria-checked={enabled}
          className={enabled ? 'switch on' : 'switch'}
          onClick={() =>
            act(enabled ? 'disable' : 'enable', enabled ? 'Sync disabled.' : 'Sync enabled.', () =>
              setEnabled(!enabled),
            )
          }
        >
          Sync enabled
        </button>
        <button
          type="button"
          onClick={() =>
            act('restart', 'Restart requested: the next cycle is a full one, quarantine lifted.')
          }
        >
          Restart
        </button>
        <a href={`#/provisioning-logs?configurationId=${config.id}`}>Provisioning logs</a>
        <a href="#/sync-health">Sync health</a>
      </div>
      <StatusNote>{note}</StatusNote>
      <ErrorText error={error} />
    </section>
  );
}
