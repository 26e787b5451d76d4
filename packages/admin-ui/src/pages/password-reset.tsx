import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import { useLoad, useSave } from '../api/hooks.js';
import type { PasswordResetPolicy } from '../api/types.js';
import { Checkbox, StatusNote } from '../components/form-parts.js';
import { TableHead } from '../components/list-parts.js';
import { ErrorText, errorFor, Loading, Page, TextField } from '../components/ui.js';

const PATH = '/v1.0/cloudsync/passwordResetPolicy';

/** Self-service password reset: who may reset, with which methods, what happens in AD. */
export function PasswordResetPage() {
  const policy = useLoad(() => api<PasswordResetPolicy>('GET', PATH), 'sspr');
  const [draft, setDraft] = useState<PasswordResetPolicy>();
  useEffect(() => setDraft(policy.data), [policy.data]);
  const set = <K extends keyof PasswordResetPolicy>(k: K, v: PasswordResetPolicy[K]) =>
    setDraft((d) => (d ? { ...d, [k]: v } : d));
  const { error, saved, save } = useSave(() => {
    if (!draft) return Promise.resolve();
    const {
      enabledFor,
      groupId,
      methods,
      registrationRequired,
      unlockOnPremisesAccount,
      keepMustChangeAtNextLogon,
    } = draft;
    return api<PasswordResetPolicy>('PATCH', PATH, {
      enabledFor,
      groupId: enabledFor === 'group' ? groupId : null,
      methods,
      registrationRequired,
      unlockOnPremisesAccount,
      keepMustChangeAtNextLogon,
    });
  }, policy.reload);
  const toggleMethod = (m: 'email' | 'authenticatorApp', on: boolean) =>
    setDraft(
      (d) => d && { ...d, methods: on ? [...new Set([...d.methods, m])] : d.methods.filter((x) => x !== m) },
    );
  return (
    <Page title="Password reset">
      <ErrorText error={policy.error} prefix="The password reset policy could not be read" />
      {!draft ? (
        policy.loading ? (
          <Loading what="the policy" />
        ) : null
      ) : (
        <form
          className="card"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <fieldset>
            <legend>Self-service password reset enabled for</legend>
            {(['none', 'group', 'all'] as const).map((v) => (
              <div className="check" key={v}>
                <input
                  type="radio"
                  id={`sspr-${v}`}
                  name="enabledFor"
                  checked={draft.enabledFor === v}
                  onChange={() => set('enabledFor', v)}
                />
                <label htmlFor={`sspr-${v}`}>
                  {v === 'none' ? 'Nobody' : v === 'all' ? 'Everyone' : 'Members of a group'}
                </label>
              </div>
            ))}
          </fieldset>
          {draft.enabledFor === 'group' ? (
            <TextField
              label="Group id"
              value={draft.groupId ?? ''}
              onChange={(v) => set('groupId', v || null)}
              error={errorFor(error, 'groupId')}
            />
          ) : null}
          <fieldset>
            <legend>Methods</legend>
            <Checkbox
              id="m-email"
              label="One-time code by e-mail"
              checked={draft.methods.includes('email')}
              onChange={(on) => toggleMethod('email', on)}
            />
            <Checkbox
              id="m-totp"
              label="Authenticator app"
              checked={draft.methods.includes('authenticatorApp')}
              onChange={(on) => toggleMethod('authenticatorApp', on)}
            />
            <ErrorText error={errorFor(error, 'methods')} />
          </fieldset>
          <fieldset>
            <legend>Options</legend>
            {(
              [
                ['registrationRequired', 'Ask people to register a method when they sign in'],
                ['unlockOnPremisesAccount', 'Synced users: unlock the AD account on reset'],
                [
                  'keepMustChangeAtNextLogon',
                  'Synced users: keep "must change password at next logon" in AD',
                ],
              ] as const
            ).map(([k, label]) => (
              <Checkbox
                key={k}
                id={`o-${k}`}
                label={label}
                checked={draft[k]}
                onChange={(on) => set(k, on)}
              />
            ))}
          </fieldset>
          <ErrorText
            error={error && !errorFor(error, 'groupId') && !errorFor(error, 'methods') ? error : undefined}
          />
          <button type="submit" className="primary">
            Save
          </button>
          <StatusNote>{saved ? 'Saved.' : null}</StatusNote>
        </form>
      )}
      {policy.data?.writeback ? (
        <table>
          <caption>Password writeback to Active Directory (synced users reset through an agent)</caption>
          <TableHead columns={['Domain', 'Writeback', 'Agents']} />
          <tbody>
            {policy.data.writeback.map((w) => (
              <tr key={w.configurationId}>
                <td>
                  <a href={`#/cloud-sync/configurations/${w.configurationId}`}>{w.domain}</a>
                </td>
                <td>{w.passwordWriteback ? 'On' : 'Off: synced users cannot reset their password here'}</td>
                <td>{w.agents.map((a) => `${a.host} (${a.status})`).join(', ') || 'No agent'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Page>
  );
}
