import { useEffect, useState } from 'react';
import { api, type List } from '../api/client.js';
import { useConfigurations, useLoad } from '../api/hooks.js';
import type { Cycle } from '../api/types.js';
import { BarChart } from '../components/bar-chart.js';
import { ConfigurationOptions } from '../components/configuration-options.js';
import { Field } from '../components/form-parts.js';
import { TableHead } from '../components/list-parts.js';
import { ErrorText, formatDate, Loading, Page, StatusBadge } from '../components/ui.js';

const shortTime = (iso: string) => new Date(iso).toISOString().slice(5, 16).replace('T', ' ');

/** Sync health: per cycle, objects changed, duration and errors, for one configuration. */
export function SyncHealthPage() {
  const configs = useConfigurations();
  const [id, setId] = useState('');
  useEffect(() => {
    const first = configs.data?.value[0]?.id;
    if (!id && first) setId(first);
  }, [configs.data, id]);
  const cycles = useLoad(
    () =>
      id
        ? api<List<Cycle>>('GET', `/v1.0/cloudsync/configurations/${id}/cycles?top=30`)
        : Promise.resolve({ value: [] }),
    id,
  );
  const config = configs.data?.value.find((c) => c.id === id);
  // Oldest first, left to right.
  const rows = [...(cycles.data?.value ?? [])].reverse();
  const bars = (f: (c: Cycle) => number) => rows.map((c) => ({ label: shortTime(c.startedAt), value: f(c) }));
  return (
    <Page title="Sync health">
      <ErrorText error={configs.error} />
      <Field id="sh-config" label="Configuration">
        <select id="sh-config" value={id} onChange={(e) => setId(e.target.value)}>
          <ConfigurationOptions configurations={configs.data?.value} />
        </select>
      </Field>
      {configs.data && configs.data.value.length === 0 ? (
        <p>
          No sync configuration yet. <a href="#/cloud-sync/new">Create one</a>.
        </p>
      ) : null}
      {config ? (
        <p>
          Status <StatusBadge state={config.status.state} />
          {config.status.reason ? ` — ${config.status.reason}` : ''} · last cycle{' '}
          {formatDate(config.status.lastCycleAt)}
        </p>
      ) : null}
      <ErrorText error={cycles.error} prefix="The cycles could not be read" />
      {cycles.loading && !cycles.data ? <Loading what="cycles" /> : null}
      {id ? (
        <div className="charts">
          <BarChart
            title="Objects changed per cycle"
            unit="objects"
            bars={bars((c) => (c.counts.applied ?? 0) + (c.counts.pendingDeletes ?? 0))}
          />
          <BarChart title="Cycle duration" unit="seconds" bars={bars((c) => c.durationSeconds ?? 0)} />
          <BarChart
            title="Errors and conflicts per cycle"
            unit="objects"
            tone="error"
            bars={bars((c) => (c.counts.errors ?? 0) + (c.counts.conflicts ?? 0))}
          />
        </div>
      ) : null}
      {rows.length > 0 ? (
        <details>
          <summary>The cycles as a table</summary>
          <table>
            <TableHead columns={['Started', 'Kind', 'State', 'Duration (s)', 'Counts']} />
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <td>{formatDate(c.startedAt)}</td>
                  <td>{c.kind}</td>
                  <td>
                    {c.state}
                    {c.reason ? `: ${c.reason}` : ''}
                  </td>
                  <td>{c.durationSeconds ?? '—'}</td>
                  <td>
                    {Object.entries(c.counts)
                      .map(([k, v]) => `${k} ${v}`)
                      .join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </Page>
  );
}
