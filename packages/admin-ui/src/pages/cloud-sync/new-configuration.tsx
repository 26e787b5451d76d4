import { useEffect, useState } from 'react';
import { api, type List } from '../../api/client.js';
import { useLoad } from '../../api/hooks.js';
import type { Agent, Configuration } from '../../api/types.js';
import { Checkbox, Field } from '../../components/form-parts.js';
import { navigate } from '../../components/router.js';
import { ErrorText, errorFor, Page, TextField } from '../../components/ui.js';

/** New configuration: pick a domain an agent serves, tick password hash sync, create. */
export function NewConfigurationPage() {
  const agents = useLoad(() => api<List<Agent>>('GET', '/v1.0/cloudsync/agents'), 'new-agents');
  const domains = [...new Set((agents.data?.value ?? []).flatMap((a) => a.domains))].sort();
  const [dnsName, setDnsName] = useState('');
  const [netbiosName, setNetbios] = useState('');
  const [sid, setSid] = useState('');
  const [phs, setPhs] = useState(true);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (!dnsName && domains[0]) setDnsName(domains[0]);
  }, [dnsName, domains]);
  useEffect(() => setNetbios((dnsName.split('.')[0] ?? '').toUpperCase().slice(0, 15)), [dnsName]);
  const create = async () => {
    setError(undefined);
    try {
      const created = await api<Configuration>('POST', '/v1.0/cloudsync/configurations', {
        domain: { dnsName, netbiosName, sid: sid.trim() },
        passwordHashSync: phs,
      });
      navigate(`/cloud-sync/configurations/${created.id}`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Page title="New configuration">
      <p>
        <a href="#/cloud-sync">← Cloud sync</a>
      </p>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <Field id="nc-domain" label="Active Directory domain">
          <select
            id="nc-domain"
            value={dnsName}
            onChange={(e) => setDnsName(e.target.value)}
            aria-describedby="nc-domain-hint"
            required
          >
            {domains.length === 0 ? <option value="">No agent has registered a domain yet</option> : null}
            {domains.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
          <small id="nc-domain-hint" className="hint">
            The domains the registered agents serve.
          </small>
        </Field>
        <TextField
          label="NetBIOS name"
          value={netbiosName}
          onChange={setNetbios}
          required
          error={undefined}
        />
        <TextField
          label="Domain SID"
          hint="e.g. S-1-5-21-1004336348-1177238915-682003330 (Get-ADDomain shows it as DomainSID)"
          value={sid}
          onChange={setSid}
          required
          error={errorFor(error, 'domain')}
        />
        <Checkbox id="nc-phs" label="Password hash sync" checked={phs} onChange={setPhs} />
        <ErrorText error={error && !errorFor(error, 'domain') ? error : undefined} />
        <button type="submit" className="primary" disabled={!dnsName}>
          Create
        </button>
      </form>
    </Page>
  );
}
