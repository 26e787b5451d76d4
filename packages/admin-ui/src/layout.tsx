import { useEffect, useState } from 'react';
import { api } from './api/client.js';
import { useHashPath } from './components/router.js';
import { Routes } from './routes.js';

const NAV: { href: string; label: string; match: string }[] = [
  { href: '#/', label: 'Home', match: '/' },
  { href: '#/cloud-sync', label: 'Cloud sync', match: '/cloud-sync' },
  { href: '#/provisioning-logs', label: 'Provisioning logs', match: '/provisioning-logs' },
  { href: '#/sync-health', label: 'Sync health', match: '/sync-health' },
  { href: '#/users', label: 'Users', match: '/users' },
  { href: '#/deleted-users', label: 'Deleted users', match: '/deleted-users' },
  { href: '#/groups', label: 'Groups', match: '/groups' },
  { href: '#/contacts', label: 'Contacts', match: '/contacts' },
  { href: '#/domains', label: 'Domains', match: '/domains' },
  { href: '#/password-reset', label: 'Password reset', match: '/password-reset' },
  { href: '#/audit-logs', label: 'Audit logs', match: '/audit-logs' },
];

function isCurrent(path: string, match: string): boolean {
  const bare = path.split('?')[0] ?? '/';
  return match === '/' ? bare === '/' : bare === match || bare.startsWith(`${match}/`);
}

/** The frame of every page: skip link, header with the signed-in admin, navigation, main region. */
export function Layout(props: { onSignOut(): void }) {
  const path = useHashPath();
  const [me, setMe] = useState<string>('');
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => {
    api<{ userPrincipalName: string }>('GET', '/v1.0/me').then(
      (u) => setMe(u.userPrincipalName),
      () => setMe(''),
    );
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: close the narrow-screen menu on navigation
  useEffect(() => setMenuOpen(false), [path]);
  return (
    <div className="shell">
      <button type="button" className="skip" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <header className="top">
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="nav"
          onClick={() => setMenuOpen((o) => !o)}
        >
          Menu
        </button>
        <span className="brand">cloudsync admin center</span>
        <span className="me">
          <span className="sr-only">Signed in as </span>
          {me}
        </span>
        <button type="button" onClick={props.onSignOut}>
          Sign out
        </button>
      </header>
      <nav id="nav" aria-label="Admin center" className={menuOpen ? 'nav open' : 'nav'}>
        <ul>
          {NAV.map((n) => (
            <li key={n.href}>
              <a href={n.href} aria-current={isCurrent(path, n.match) ? 'page' : undefined}>
                {n.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <Routes path={path} />
      </main>
    </div>
  );
}
