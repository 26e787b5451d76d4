import { useEffect, useState } from 'react';
import { ApiError, api } from '../../api/client.js';
import { useSave } from '../../api/hooks.js';
import type { AttributeMapping, Configuration, ObjectType, Scope } from '../../api/types.js';
import { CardForm, Checkbox, Field, StatusNote } from '../../components/form-parts.js';
import { ErrorText, TextField } from '../../components/ui.js';
import { MappingEditor } from './mapping-editor.js';

interface Draft {
  passwordHashSync: boolean;
  passwordWriteback: boolean;
  scopeKind: Scope['kind'];
  scopeDns: string;
  mappings: Record<ObjectType, AttributeMapping[]>;
  guardEnabled: boolean;
  threshold: string;
  notificationEmail: string;
}

function draftOf(c: Configuration): Draft {
  return {
    passwordHashSync: c.passwordHashSync,
    passwordWriteback: c.passwordWriteback,
    scopeKind: c.scope.kind,
    scopeDns:
      c.scope.kind === 'ous'
        ? c.scope.ous.join('\n')
        : c.scope.kind === 'groups'
          ? c.scope.groups.join('\n')
          : '',
    mappings: structuredClone(c.mappings),
    guardEnabled: c.deleteGuard.enabled,
    threshold: String(c.deleteGuard.threshold),
    notificationEmail: c.notificationEmail ?? '',
  };
}

function scopeOf(d: Draft, previous: Scope): Scope {
  const dns = d.scopeDns
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  // Attribute filters are kept as they are (edited through the API for now).
  const filters = 'attributeFilters' in previous ? { attributeFilters: previous.attributeFilters } : {};
  if (d.scopeKind === 'ous') return { kind: 'ous', ous: dns, ...filters };
  if (d.scopeKind === 'groups') return { kind: 'groups', groups: dns, ...filters };
  return { kind: 'domain', ...filters };
}

const targetOf = (err: unknown) => (err instanceof ApiError ? (err.target ?? '') : '');

/** Scope, attribute mappings (with preview), password hash sync, delete guard, notification e-mail. */
export function ConfigurationSettings({ config, onSaved }: { config: Configuration; onSaved(): void }) {
  const [draft, setDraft] = useState(() => draftOf(config));
  const [objectType, setObjectType] = useState<ObjectType>('user');
  useEffect(() => setDraft(draftOf(config)), [config]);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const check = (k: 'passwordHashSync' | 'passwordWriteback' | 'guardEnabled', id: string, label: string) => (
    <Checkbox id={id} label={label} checked={draft[k]} onChange={(v) => set(k, v)} />
  );
  const { error, saved, save } = useSave(
    () =>
      api('PATCH', `/v1.0/cloudsync/configurations/${config.id}`, {
        passwordHashSync: draft.passwordHashSync,
        passwordWriteback: draft.passwordWriteback,
        scope: scopeOf(draft, config.scope),
        mappings: draft.mappings,
        deleteGuard: { enabled: draft.guardEnabled, threshold: Number(draft.threshold) },
        notificationEmail: draft.notificationEmail.trim() || null,
      }),
    onSaved,
  );
  const t = targetOf(error);
  return (
    <CardForm titleId="settings-title" title="Settings" onSubmit={() => void save()}>
      {check('passwordHashSync', 'cfg-phs', 'Password hash sync')}
      {check(
        'passwordWriteback',
        'cfg-wb',
        'Password writeback (self-service reset of synced users, written to AD by the agent)',
      )}
      <fieldset>
        <legend>Scope</legend>
        <Field id="cfg-scope" label="Synchronize">
          <select
            id="cfg-scope"
            value={draft.scopeKind}
            onChange={(e) =>
              set(
                'scopeKind',
                e.target.value === 'ous' ? 'ous' : e.target.value === 'groups' ? 'groups' : 'domain',
              )
            }
          >
            <option value="domain">The whole domain</option>
            <option value="ous">Objects under these OUs</option>
            <option value="groups">Members of these groups</option>
          </select>
        </Field>
        {draft.scopeKind === 'domain' ? null : (
          <Field id="cfg-scope-dns" label="Distinguished names, one a line">
            <textarea
              id="cfg-scope-dns"
              rows={3}
              value={draft.scopeDns}
              onChange={(e) => set('scopeDns', e.target.value)}
              aria-invalid={t.startsWith('scope') ? true : undefined}
              aria-describedby={t.startsWith('scope') ? 'cfg-scope-err' : undefined}
            />
            <ErrorText error={t.startsWith('scope') ? error : undefined} id="cfg-scope-err" />
          </Field>
        )}
      </fieldset>
      <fieldset>
        <legend>Attribute mappings</legend>
        <Field id="cfg-objtype" label="Object type">
          <select
            id="cfg-objtype"
            value={objectType}
            onChange={(e) =>
              setObjectType(
                e.target.value === 'group' ? 'group' : e.target.value === 'contact' ? 'contact' : 'user',
              )
            }
          >
            <option value="user">Users</option>
            <option value="group">Groups</option>
            <option value="contact">Contacts</option>
          </select>
        </Field>
        <MappingEditor
          key={objectType}
          objectType={objectType}
          mappings={draft.mappings[objectType]}
          onChange={(next) => set('mappings', { ...draft.mappings, [objectType]: next })}
          error={t.startsWith('mappings') ? error : undefined}
        />
        <ErrorText
          error={t.startsWith('mappings') && !t.startsWith(`mappings.${objectType}[`) ? error : undefined}
        />
      </fieldset>
      <fieldset>
        <legend>Prevent accidental deletes</legend>
        {check('guardEnabled', 'cfg-guard', 'Hold a cycle that deletes more than the threshold')}
        <TextField
          label="Accidental delete threshold"
          type="number"
          value={draft.threshold}
          onChange={(v) => set('threshold', v)}
          error={t.startsWith('deleteGuard') ? error : undefined}
        />
      </fieldset>
      <TextField
        label="Notification e-mail"
        type="email"
        hint="Where accidental-delete and quarantine notices go."
        value={draft.notificationEmail}
        onChange={(v) => set('notificationEmail', v)}
        error={t === 'notificationEmail' ? error : undefined}
      />
      <ErrorText
        error={
          error && !['scope', 'mappings', 'deleteGuard', 'notificationEmail'].some((p) => t.startsWith(p))
            ? error
            : undefined
        }
      />
      <button type="submit" className="primary">
        Save configuration
      </button>
      <StatusNote>{saved ? 'Saved. Agents pull the new version before their next cycle.' : null}</StatusNote>
    </CardForm>
  );
}
