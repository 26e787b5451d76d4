import { useState } from 'react';
import { api } from '../../api/client.js';
import { useLoad } from '../../api/hooks.js';
import type { HeldDeletions as Held } from '../../api/types.js';
import { StatusNote } from '../../components/form-parts.js';
import { ErrorText, formatDate } from '../../components/ui.js';

/** Deletions the accidental-delete guard held: approve (delete them) or reject (keep the objects). */
export function HeldDeletions(props: { configurationId: string }) {
  const base = `/v1.0/cloudsync/configurations/${props.configurationId}/heldDeletions`;
  const held = useLoad(() => api<Held>('GET', base), base);
  const [error, setError] = useState<unknown>();
  const [note, setNote] = useState('');
  const decide = (verdict: 'approve' | 'reject') => {
    setError(undefined);
    api<{ deleted?: number; rejected?: number }>('POST', `${base}/${verdict}`).then((r) => {
      setNote(
        verdict === 'approve'
          ? `${r.deleted ?? 0} object(s) deleted.`
          : `${r.rejected ?? 0} deletion(s) rejected.`,
      );
      held.reload();
    }, setError);
  };
  const items = held.data?.value ?? [];
  return (
    <section className="card" aria-labelledby="held-title">
      <h2 id="held-title">Held deletions</h2>
      <ErrorText error={held.error} />
      {items.length === 0 ? (
        <p>No deletion is held.</p>
      ) : (
        <>
          <p>
            {items.length} deletion(s) held {formatDate(held.data?.heldAt)}: {held.data?.reason}
          </p>
          <ul>
            {items.slice(0, 50).map((d) => (
              <li key={d.anchor}>
                {d.objectType} {d.distinguishedName ?? d.anchor} ({d.op})
              </li>
            ))}
          </ul>
          {items.length > 50 ? <p>… and {items.length - 50} more.</p> : null}
          <div className="actions">
            <button type="button" className="danger" onClick={() => decide('approve')}>
              Approve the deletions
            </button>
            <button type="button" onClick={() => decide('reject')}>
              Reject the deletions
            </button>
          </div>
        </>
      )}
      <StatusNote>{note}</StatusNote>
      <ErrorText error={error} />
    </section>
  );
}
