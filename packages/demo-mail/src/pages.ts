import { STYLE } from './style.js';

const escapeText = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

// An envelope, drawn with rect and lines only: the lab's `pageSays` reads the first `<p…>` tag, and
// `<path>` or `<polyline>` would match it.
const ENVELOPE = `<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.75" stroke-linecap="round" stroke-linejoin="round"><rect x="3" y="5" width="18" height="14" rx="2"/><line x1="3.5" y1="6.5" x2="12" y2="13"/><line x1="20.5" y1="6.5" x2="12" y2="13"/></svg>`;

const signOutForm = (label: string) =>
  `<form method="post" action="/logout"><button type="submit">${label}</button></form>`;

/** The top bar: the app's name and, when signed in, who is signed in and a sign-out button. */
function topBar(user: string | undefined): string {
  const account = user
    ? `<div class="account"><span class="user">${escapeText(user)}</span>${signOutForm('Sign out')}</div>`
    : '';
  return `<header class="topbar"><span class="app">${ENVELOPE}Mail</span>${account}</header>`;
}

/**
 * The demo's one document: the top bar, then `content` (a `<main>` and whatever sits beside it).
 * No script; the stylesheet is inline and allowed by its hash (see `PAGE_HEADERS`).
 */
export function page(title: string, content: string, user?: string): string {
  const fullTitle = title === 'Mail' ? title : `${title} · Mail`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeText(fullTitle)}</title>
<style>${STYLE}</style>
</head>
<body>
${topBar(user)}
${content}
</body>
</html>`;
}

/** A page of one centred card (signed out, no licence, errors). */
const cardPage = (title: string, body: string, user?: string) =>
  page(
    title,
    `<div class="single"><main class="card"><h1>${escapeText(title)}</h1>${body}</main></div>`,
    user,
  );

const actions = (...items: string[]) => `<div class="actions">${items.join('')}</div>`;

export const signedOutPage = () =>
  page(
    'Mail',
    `<div class="single"><main class="card"><h1>Welcome to Mail</h1>
<p class="muted">Read your mail with your work account.</p>
${actions('<a class="button primary" href="/login">Sign in</a>')}</main></div>`,
  );

// The folders are labels, not links: only the inbox exists in this demo.
const FOLDERS = `<nav class="folders" aria-label="Folders"><ul>
<li aria-current="page">Inbox</li><li>Sent</li><li>Drafts</li>
</ul></nav>`;

export const inboxPage = (user: string) =>
  page(
    'Inbox',
    `<div class="shell">${FOLDERS}
<main class="card"><h1>Inbox</h1>
<div class="empty">${ENVELOPE}
<p class="empty-title" role="status">Your inbox is empty.</p>
<p class="muted">You're all caught up. New messages will appear here.</p>
</div></main></div>`,
    user,
  );

export const noLicencePage = (user: string) =>
  cardPage(
    'No mailbox for this account',
    `<p role="alert">Your account has no licence that includes mail.</p>
<p>Mail needs a licence that includes <strong>Exchange Online</strong>, for example <strong>Office 365 E3</strong>.</p>
<p class="muted">Licences are assigned by an administrator of your organisation. Ask your administrator to assign one, then sign in again.</p>
${actions(signOutForm('Use a different account'))}`,
    user,
  );

export const errorPage = (message: string) =>
  cardPage(
    'Sign-in failed',
    `<p class="error" role="alert">${escapeText(message)}</p>
<p class="muted">If this keeps happening, contact your administrator.</p>
${actions('<a class="button primary" href="/login">Try again</a>')}`,
  );
