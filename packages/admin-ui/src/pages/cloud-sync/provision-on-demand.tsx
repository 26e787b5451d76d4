import { useState } from 'react';
import { api } from '../../api/client.js';
import type { ProvisionRun } from '../../api/types.js';
import { CardForm } from '../../components/form-parts.js';
import { StatusBadge, TextField } from '../../components/ui.js';

const DONE = new Set(['succeeded', 'failed', 'expired', 'cancelled']);

/** Provision on demand: one object by DN, run by an agent now; its step-by-step result. */
export function ProvisionOnDemand(props: { configurationId: string }) {
  const base = `/v1.0/cloudsync/configurations/${props.configurationId}/provisionOnDemand`;
  const [dn, setDn] = useState('');
  const [run, setRun] = useState<ProvisionRun>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const start = async () => {
    setError(undefined);
    setRun(undefined);
    setBusy(true);
    try {
      let current = await api<ProvisionRun>('POST', base, { distinguishedName: dn.trim(), waitSeconds: 20 });
      setRun(current);
      // The agent may answer after the wait: look again a few times, then leave it to "Refresh".
      for (let i = 0; i < 10 && !DONE.has(current.state); i++) {
        await new Promise((r) => setTimeout(r, 2000));
        current = await api<ProvisionRun>('GET', `${base}/${current.id}`);
        setRun(current);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <CardForm titleId="pod-title" title="Provision on demand" onSubmit={() => void start()}>
      <TextField
        label="Distinguished name of the AD object"
        hint="e.g. CN=Bobby Tables,OU=Staff,DC=corp,DC=example,DC=test"
        value={dn}
        onChange={setDn}
        error={error}
        required
      />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Provisioning…' : 'Provision'}
      </button>
      {run ? (
        <div aria-live="polite" className="pod-result">
          <p>
            Run <code>{run.id}</code>: <StatusBadge state={run.state} />
            {run.error ? (
              <span className="error">
                {' '}
                {run.error.message} ({run.error.code})
              </span>
            ) : null}
          </p>
          <ol className="steps">
            {run.steps.map((s) => (
              <li key={`${s.name}-${s.detail ?? s.description ?? ''}`}>
                <StatusBadge state={s.status} /> <strong>{s.name}</strong>: {s.detail ?? s.description}
              </li>
            ))}
          </ol>
        </div>
      ) : null}
    </CardForm>
  );
}
