import { useState } from 'react';
import { api, type List } from '../api/client.js';
import { useLoad } from '../api/hooks.js';
import type { DnsRecord, Domain } from '../api/types.js';
import { TableHead } from '../components/list-parts.js';
import { ErrorText, errorFor, Loading, Page, TextField } from '../components/ui.js';

/** Domains: add one, show the TXT record to publish, verify. */
export function DomainsPage() {
  const domains = useLoad(() => api<List<Domain>>('GET', '/v1.0/domains'), 'domains');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();
  const add = async () => {
    setError(undefined);
    try {
      await api('POST', '/v1.0/domains', { id: name.trim() });
      setName('');
      domains.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Page title="Domains">
      <form
        className="card inline"
        aria-label="Add a domain"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <TextField
          label="Domain name to add"
          hint="e.g. contoso.com"
          value={name}
          onChange={setName}
          error={errorFor(error, 'id') ?? error}
          required
        />
        <button type="submit" className="primary">
          Add domain
        </button>
      </form>
      <ErrorText error={domains.error} prefix="The domains could not be listed" />
      {domains.loading && !domains.data ? <Loading what="domains" /> : null}
      <ul className="plain">
        {(domains.data?.value ?? []).map((d) => (
          <DomainItem key={d.id} domain={d} onVerified={domains.reload} />
        ))}
      </ul>
    </Page>
  );
}

function DomainItem({ domain, onVerified }: { domain: Domain; onVerified(): void }) {
  const [records, setRecords] = useState<DnsRecord[]>();
  const [error, setError] = useState<unknown>();
  const id = `domain-${domain.id.replace(/\W/g, '-')}`;
  return (
    <li className="card" aria-labelledby={id}>
      <h2 id={id}>{domain.id}</h2>
      <p>
        {domain.isVerified ? 'Verified' : 'Not verified'}
        {domain.isInitial ? ' · initial domain' : ''}
        {domain.isDefault ? ' · default' : ''}
      </p>
      {domain.isVerified ? null : (
        <div className="actions">
          <button
            type="button"
            onClick={() =>
              api<List<DnsRecord>>('GET', `/v1.0/domains/${domain.id}/verificationDnsRecords`).then(
                (r) => setRecords(r.value),
                setError,
              )
            }
          >
            Show the TXT record for {domain.id}
          </button>
          <button
            type="button"
            className="primary"
            onClick={() => {
              setError(undefined);
              api('POST', `/v1.0/domains/${domain.id}/verify`).then(onVerified, setError);
            }}
          >
            Verify {domain.id}
          </button>
        </div>
      )}
      {records ? (
        <table>
          <caption>Publish this record in the DNS zone of {domain.id}, then verify.</caption>
          <TableHead columns={['Type', 'Name', 'Value', 'TTL']} />
          <tbody>
            {records.map((r) => (
              <tr key={`${r.recordType}${r.text ?? ''}`}>
                <td>{r.recordType}</td>
                <td>{r.label}</td>
                <td>
                  <code>{r.text}</code>
                </td>
                <td>{r.ttl}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <ErrorText error={error} />
    </li>
  );
}
