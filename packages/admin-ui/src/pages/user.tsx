import { useEffect, useState } from 'react';
import { api, type List } from '../api/client.js';
import { useLoad, useSave } from '../api/hooks.js';
import type { Sku, User } from '../api/types.js';
import { CardForm, Checkbox, Field, StatusNote } from '../components/form-parts.js';
import { navigate } from '../components/router.js';
import { ErrorText, errorFor, formatDate, Page, TextField, WhenLoaded } from '../components/ui.js';

/** Properties AD masters for a synced user: read-only here (docs/api.md, "Synced objects"). */
const EDITABLE: { key: keyof User; label: string; onPremises: boolean }[] = [
  { key: 'displayName', label: 'Display name', onPremises: true },
  { key: 'givenName', label: 'First name', onPremises: true },
  { key: 'surname', label: 'Last name', onPremises: true },
  { key: 'jobTitle', label: 'Job title', onPremises: true },
  { key: 'department', label: 'Department', onPremises: true },
  { key: 'usageLocation', label: 'Usage location', onPremises: false },
];

const SYNCED_REASON =
  'Managed by on-premises Active Directory: change it there, the next sync cycle brings it here.';

const SELECT = [
  ...EDITABLE.map((e) => e.key),
  'id',
  'userPrincipalName',
  'mail',
  'accountEnabled',
  'onPremisesSyncEnabled',
  'onPremisesImmutableId',
  'onPremisesDistinguishedName',
  'onPremisesSamAccountName',
  'onPremisesLastSyncDateTime',
  'assignedLicenses',
].join(',');

/** One user: properties (on-premises-mastered ones read-only), licences, password, delete. */
export function UserPage(props: { id: string }) {
  const user = useLoad(
    () => api<User>('GET', `/v1.0/users/${encodeURIComponent(props.id)}?$select=${SELECT}`),
    props.id,
  );
  const u = user.data;
  return (
    <Page title={u ? (u.displayName ?? u.userPrincipalName) : 'User'}>
      <p>
        <a href="#/users">← All users</a>
      </p>
      <WhenLoaded loaded={user} what="the user" prefix="The user could not be read">
        {(u) => (
          <>
            <Summary user={u} />
            <Properties user={u} onSaved={user.reload} />
            <Licences user={u} onChanged={user.reload} />
            {u.onPremisesSyncEnabled ? null : <ResetPassword user={u} />}
            <DeleteUser user={u} />
          </>
        )}
      </WhenLoaded>
    </Page>
  );
}

function Summary({ user }: { user: User }) {
  return (
    <dl className="facts">
      <dt>User principal name</dt>
      <dd>{user.userPrincipalName}</dd>
      <dt>On-premises sync enabled</dt>
      <dd>{user.onPremisesSyncEnabled ? 'Yes' : 'No'}</dd>
      <dt>Account enabled</dt>
      <dd>{user.accountEnabled ? 'Yes' : 'No'}</dd>
      {user.onPremisesSyncEnabled ? (
        <>
          <dt>On-premises distinguished name</dt>
          <dd>{user.onPremisesDistinguishedName ?? '—'}</dd>
          <dt>On-premises immutable id</dt>
          <dd>
            <code>{user.onPremisesImmutableId ?? '—'}</code>
          </dd>
          <dt>Last synced</dt>
          <dd>{formatDate(user.onPremisesLastSyncDateTime)}</dd>
          <dt>Provisioning log</dt>
          <dd>
            <a href={`#/provisioning-logs?identity=${encodeURIComponent(user.id)}`}>
              Provisioning log entries of this user
            </a>
          </dd>
        </>
      ) : null}
    </dl>
  );
}

function Properties({ user, onSaved }: { user: User; onSaved(): void }) {
  const initial = () => Object.fromEntries(EDITABLE.map((e) => [e.key, String(user[e.key] ?? '')]));
  const [values, setValues] = useState<Record<string, string>>(initial);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset the form when the user is read again
  useEffect(() => setValues(initial()), [user]);
  const synced = Boolean(user.onPremisesSyncEnabled);
  const { error, saved, save } = useSave(async () => {
    const patch: Record<string, string | null> = {};
    for (const e of EDITABLE) {
      if (synced && e.onPremises) continue;
      const v = values[e.key] ?? '';
      if (v !== String(user[e.key] ?? '')) patch[e.key] = v === '' ? null : v;
    }
    if (Object.keys(patch).length > 0) await api('PATCH', `/v1.0/users/${user.id}`, patch);
  }, onSaved);
  return (
    <CardForm titleId="props-title" title="Properties" onSubmit={() => void save()}>
      {EDITABLE.map((e) => (
        <TextField
          key={e.key}
          label={e.label}
          value={values[e.key] ?? ''}
          onChange={(v) => setValues((s) => ({ ...s, [e.key]: v }))}
          readOnly={synced && e.onPremises}
          readOnlyReason={SYNCED_REASON}
          hint={
            e.key === 'usageLocation'
              ? 'Two-letter country code (ISO 3166), e.g. FR. Needed for licences.'
              : undefined
          }
          error={errorFor(error, e.key)}
        />
      ))}
      <ErrorText error={error && !EDITABLE.some((e) => errorFor(error, e.key)) ? error : undefined} />
      <button type="submit" className="primary">
        Save properties
      </button>
      <StatusNote>{saved ? 'Saved.' : null}</StatusNote>
    </CardForm>
  );
}

function Licences({ user, onChanged }: { user: User; onChanged(): void }) {
  const skus = useLoad(() => api<List<Sku>>('GET', '/v1.0/subscribedSkus'), 'skus');
  const [choice, setChoice] = useState('');
  const [error, setError] = useState<unknown>();
  const nameOf = (skuId: string) => skus.data?.value.find((s) => s.skuId === skuId)?.skuPartNumber ?? skuId;
  const change = async (body: {
    addLicenses: { skuId: string; disabledPlans: string[] }[];
    removeLicenses: string[];
  }) => {
    setError(undefined);
    try {
      await api('POST', `/v1.0/users/${user.id}/assignLicense`, body);
      onChanged();
    } catch (err) {
      setError(err);
    }
  };
  const available = (skus.data?.value ?? []).filter(
    (s) => !user.assignedLicenses.some((a) => a.skuId === s.skuId),
  );
  return (
    <section className="card" aria-labelledby="licences-title">
      <h2 id="licences-title">Licences</h2>
      {user.assignedLicenses.length === 0 ? <p>No licence assigned.</p> : null}
      <ul className="plain">
        {user.assignedLicenses.map((l) => (
          <li key={l.skuId}>
            {nameOf(l.skuId)}{' '}
            <button
              type="button"
              onClick={() => void change({ addLicenses: [], removeLicenses: [l.skuId] })}
              aria-label={`Remove licence ${nameOf(l.skuId)}`}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          if (choice)
            void change({ addLicenses: [{ skuId: choice, disabledPlans: [] }], removeLicenses: [] });
        }}
      >
        <Field id="sku" label="Licence to assign">
          <select
            id="sku"
            value={choice}
            onChange={(e) => setChoice(e.target.value)}
            aria-describedby={error ? 'licence-error' : undefined}
          >
            <option value="">Choose a licence…</option>
            {available.map((s) => (
              <option key={s.skuId} value={s.skuId}>
                {s.skuPartNumber} ({s.prepaidUnits.enabled - s.consumedUnits} free)
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" disabled={!choice}>
          Assign licence
        </button>
      </form>
      <ErrorText error={error} id="licence-error" />
      <ErrorText error={skus.error} prefix="The licences could not be listed" />
    </section>
  );
}

function ResetPassword({ user }: { user: User }) {
  const [password, setPassword] = useState('');
  const [force, setForce] = useState(true);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  return (
    <CardForm
      titleId="pw-title"
      title="Reset password"
      onSubmit={() => {
        setError(undefined);
        setDone(false);
        api('PATCH', `/v1.0/users/${user.id}`, {
          passwordProfile: { password, forceChangePasswordNextSignIn: force },
        }).then(() => {
          setDone(true);
          setPassword('');
        }, setError);
      }}
    >
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={setPassword}
        error={error}
        required
      />
      <Checkbox
        id="pw-force"
        label="Require a new password at next sign-in"
        checked={force}
        onChange={setForce}
      />
      <button type="submit">Reset password</button>
      <StatusNote>{done ? 'The password was reset.' : null}</StatusNote>
    </CardForm>
  );
}

function DeleteUser({ user }: { user: User }) {
  const [error, setError] = useState<unknown>();
  const [confirm, setConfirm] = useState(false);
  if (user.onPremisesSyncEnabled) return null;
  return (
    <section className="card" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete</h2>
      <p>A deleted user can be restored for 30 days from Deleted users.</p>
      {confirm ? (
        <>
          <button
            type="button"
            className="danger"
            onClick={() =>
              api('DELETE', `/v1.0/users/${user.id}`).then(() => navigate('/deleted-users'), setError)
            }
          >
            Yes, delete {user.userPrincipalName}
          </button>{' '}
          <button type="button" onClick={() => setConfirm(false)}>
            Cancel
          </button>
        </>
      ) : (
        <button type="button" onClick={() => setConfirm(true)}>
          Delete user
        </button>
      )}
      <ErrorText error={error} />
    </section>
  );
}
