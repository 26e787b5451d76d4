import { useEffect, useState } from 'react';
import { onSignedOut } from './api/client.js';
import {
  type AdminCenterConfig,
  completeSignIn,
  currentSession,
  loadConfig,
  signOut,
  startSignIn,
} from './auth/session.js';
import { Layout } from './layout.js';

type State =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'signed-out'; config: AdminCenterConfig; reason?: string }
  | { kind: 'signed-in'; config: AdminCenterConfig };

/** The admin center: settings, sign-in (authorization code + PKCE), then the pages. */
export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });

  useEffect(() => {
    (async () => {
      const config = await loadConfig();
      if (window.location.pathname.endsWith('/callback')) {
        try {
          const returnTo = await completeSignIn(config, window.location.href);
          window.history.replaceState(null, '', `/admin/${returnTo}`);
        } catch (err) {
          window.history.replaceState(null, '', '/admin/');
          setState({ kind: 'signed-out', config, reason: err instanceof Error ? err.message : String(err) });
          return;
        }
      }
      if (currentSession()) setState({ kind: 'signed-in', config });
      else await startSignIn(config, window.location.hash);
    })().catch((err: unknown) =>
      setState({ kind: 'failed', message: err instanceof Error ? err.message : String(err) }),
    );
  }, []);

  useEffect(
    () =>
      onSignedOut(() =>
        setState((s) =>
          s.kind === 'signed-in'
            ? { kind: 'signed-out', config: s.config, reason: 'Your session has ended. Sign in again.' }
            : s,
        ),
      ),
    [],
  );

  if (state.kind === 'loading') return <p className="center">Signing in…</p>;
  if (state.kind === 'failed')
    return (
      <main className="center">
        <h1>The admin center could not start</h1>
        <p role="alert">{state.message}</p>
      </main>
    );
  if (state.kind === 'signed-out') {
    const { config } = state;
    return (
      <main className="center">
        <h1>cloudsync admin center</h1>
        {state.reason ? <p role="alert">{state.reason}</p> : null}
        <button
          type="button"
          className="primary"
          onClick={() => void startSignIn(config, window.location.hash)}
        >
          Sign in
        </button>
      </main>
    );
  }
  const { config } = state;
  return <Layout onSignOut={() => signOut(config)} />;
}
