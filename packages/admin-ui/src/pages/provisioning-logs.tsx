import { useEffect, useRef, useState } from 'react';
import { api, type List } from '../api/client.js';
import { useConfigurations, usePagedList } from '../api/hooks.js';
import type { ProvisioningEntry } from '../api/types.js';
import { ConfigurationOptions } from '../components/configuration-options.js';
import { Field } from '../components/form-parts.js';
import { EmptyRow, ListStatus, Pager, TableHead } from '../components/list-parts.js';
import { ErrorText, formatDate, Page, StatusBadge } from '../components/ui.js';
import { download, provisioningCsv } from './download.js';

interface Filters {
  since: string;
  until: string;
  status: string;
  action: string;
  identity: string;
  configurationId: string;
}

/** At most this many entries go into one download (the API's pages are followed until then). */
const EXPORT_LIMIT = 5000;

async function fetchAll(firstUrl: string): Promise<ProvisioningEntry[]> {
  const all: ProvisioningEntry[] = [];
  let next: string | undefined = firstUrl;
  while (next && all.length < EXPORT_LIMIT) {
    const page: List<ProvisioningEntry> = await api<List<ProvisioningEntry>>('GET', next);
    all.push(...page.value);
    next = page['@odata.nextLink'];
  }
  return all.slice(0, EXPORT_LIMIT);
}

const EMPTY: Filters = { since: '', until: '', status: '', action: '', identity: '', configurationId: '' };

function listUrl(f: Filters): string {
  const q = new URLSearchParams({ top: '25' });
  for (const k of ['status', 'action', 'identity', 'configurationId'] as const)
    if (f[k]) q.set(k, f[k].trim());
  // datetime-local gives local time without a zone: the browser's Date reads it as local time.
  if (f.since) q.set('since', new Date(f.since).toISOString());
  if (f.until) q.set('until', new Date(f.until).toISOString());
  return `/v1.0/auditLogs/provisioning?${q.toString()}`;
}

/** A filter's options: "Any", then one a value, named by the value capitalised. */
function anyOf(values: readonly string[]) {
  return [
    <option key="" value="">
      Any
    </option>,
    ...values.map((v) => (
      <option key={v} value={v}>
        {v.charAt(0).toUpperCase() + v.slice(1)}
      </option>
    )),
  ];
}

/** Provisioning logs: filters, a paged list, details with steps and modified properties, downloads. */
export function ProvisioningLogsPage(props: { initial: URLSearchParams }) {
  const start = {
    ...EMPTY,
    identity: props.initial.get('identity') ?? '',
    configurationId: props.initial.get('configurationId') ?? '',
  };
  const [draft, setDraft] = useState<Filters>(start);
  const [applied, setApplied] = useState<Filters>(start);
  const [selected, setSelected] = useState<ProvisioningEntry>();
  const list = usePagedList<ProvisioningEntry>(listUrl(applied));
  const configs = useConfigurations();
  const field = (k: keyof Filters) => ({
    id: `pl-${k}`,
    value: draft[k],
    onChange: (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value })),
  });
  const [exportError, setExportError] = useState<unknown>();
  const [exporting, setExporting] = useState(false);
  const exportAll = async (format: 'json' | 'csv') => {
    setExportError(undefined);
    setExporting(true);
    try {
      const entries = await fetchAll(listUrl(applied).replace('top=25', 'top=999'));
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      if (format === 'json')
        download(`provisioning-${stamp}.json`, 'application/json', JSON.stringify(entries, null, 2));
      else download(`provisioning-${stamp}.csv`, 'text/csv', provisioningCsv(entries));
    } catch (err) {
      setExportError(err);
    } finally {
      setExporting(false);
    }
  };
  return (
    <Page
      title="Provisioning logs"
      actions={(['json', 'csv'] as const).map((format) => (
        <button
          key={format}
          type="button"
          disabled={exporting || list.items.length === 0}
          onClick={() => void exportAll(format)}
        >
          Download {format.toUpperCase()}
        </button>
      ))}
    >
      <p className="hint">
        Downloads hold every entry the filters match, newest first, at most{' '}
        {EXPORT_LIMIT.toLocaleString('en')}.
      </p>
      <ErrorText error={exportError} prefix="The download failed" />
      <form
        className="filters"
        aria-label="Filter provisioning logs"
        onSubmit={(e) => {
          e.preventDefault();
          setSelected(undefined);
          setApplied(draft);
        }}
      >
        <Field id="pl-since" label="From">
          <input type="datetime-local" {...field('since')} />
        </Field>
        <Field id="pl-until" label="To">
          <input type="datetime-local" {...field('until')} />
        </Field>
        <Field id="pl-status" label="Status">
          <select {...field('status')}>{anyOf(['success', 'warning', 'failure', 'skipped'])}</select>
        </Field>
        <Field id="pl-action" label="Action">
          <select {...field('action')}>{anyOf(['create', 'update', 'delete', 'disable', 'other'])}</select>
        </Field>
        <Field id="pl-identity" label="Identity (id, anchor, name or DN)">
          <input type="search" {...field('identity')} />
        </Field>
        <Field id="pl-configurationId" label="Configuration">
          <select {...field('configurationId')}>
            <option value="">Any</option>
            <ConfigurationOptions configurations={configs.data?.value} />
          </select>
        </Field>
        <button type="submit">Apply filters</button>
      </form>
      <ListStatus list={list} what="provisioning logs" prefix="The provisioning logs could not be listed" />
      <div className="split">
        <table>
          <caption className="sr-only">Provisioning log entries, page {list.page}</caption>
          <TableHead columns={['Date', 'Identity', 'Action', 'Status']} />
          <tbody>
            {list.items.map((e) => (
              <tr key={e.id} aria-selected={selected?.id === e.id}>
                <td>{formatDate(e.activityDateTime)}</td>
                <td>
                  <button type="button" className="link" onClick={() => setSelected(e)}>
                    {e.targetIdentity.displayName ?? e.sourceIdentity.displayName ?? e.sourceIdentity.id}
                  </button>
                </td>
                <td>{e.provisioningAction}</td>
                <td>
                  <StatusBadge state={e.statusInfo.status} />
                </td>
              </tr>
            ))}
            <EmptyRow list={list} colSpan={4}>
              No entries match.
            </EmptyRow>
          </tbody>
        </table>
        {selected ? <Details entry={selected} onClose={() => setSelected(undefined)} /> : null}
      </div>
      <Pager label="Provisioning logs" list={list} />
    </Page>
  );
}

function Details({ entry, onClose }: { entry: ProvisioningEntry; onClose(): void }) {
  const err = entry.statusInfo.errorInformation;
  const pane = useRef<HTMLElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: move the focus to the pane for each new entry
  useEffect(() => pane.current?.focus(), [entry.id]);
  return (
    <section className="card details" aria-labelledby="pl-details" tabIndex={-1} ref={pane}>
      <h2 id="pl-details">Details: {entry.targetIdentity.displayName ?? entry.sourceIdentity.displayName}</h2>
      <dl className="facts">
        <dt>Date</dt>
        <dd>{formatDate(entry.activityDateTime)}</dd>
        <dt>Action</dt>
        <dd>
          {entry.provisioningAction} ({entry.cloudsyncAction})
        </dd>
        <dt>Status</dt>
        <dd>{entry.statusInfo.status}</dd>
        {err ? (
          <>
            <dt>Error</dt>
            <dd>
              {err.reason} {err.errorCode ? `(${err.errorCode})` : ''}
            </dd>
          </>
        ) : null}
        <dt>Source (AD)</dt>
        <dd>
          {entry.sourceIdentity.displayName} <code>{entry.sourceIdentity.id}</code>
        </dd>
        <dt>Target (cloud)</dt>
        <dd>
          {entry.targetIdentity.id ? (
            <a href={`#/users/${entry.targetIdentity.id}`}>
              {entry.targetIdentity.displayName ?? entry.targetIdentity.id}
            </a>
          ) : (
            '—'
          )}
        </dd>
        <dt>Cycle</dt>
        <dd>
          <code>{entry.cycleId}</code>
        </dd>
      </dl>
      <h3>Steps</h3>
      <ol className="steps">
        {entry.provisioningSteps.map((s) => (
          <li key={`${s.name}-${s.description}`}>
            <StatusBadge state={s.status} /> <strong>{s.name}</strong>: {s.description}
          </li>
        ))}
      </ol>
      <h3>Modified properties</h3>
      {entry.modifiedProperties.length === 0 ? (
        <p>None.</p>
      ) : (
        <table>
          <TableHead columns={['Property', 'Old value', 'New value']} />
          <tbody>
            {entry.modifiedProperties.map((m) => (
              <tr key={m.displayName}>
                <th scope="row">{m.displayName}</th>
                <td>{m.oldValue ?? '—'}</td>
                <td>{m.newValue ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" onClick={onClose}>
        Close details
      </button>
    </section>
  );
}
