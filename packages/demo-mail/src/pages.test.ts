// The Mail pages as HTML: the texts the lab and the browser tests rely on, escaping, landmarks, and
// an inline stylesheet the Content-Security-Policy allows by its hash.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { errorPage, inboxPage, noLicencePage, signedOutPage } from './pages.js';
import { PAGE_HEADERS } from './style.js';

const USER = 'adele.vance@contoso.test';
const ALL = {
  signedOut: signedOutPage(),
  inbox: inboxPage(USER),
  noLicence: noLicencePage(USER),
  error: errorPage('the directory answered 500'),
};
const count = (html: string, re: RegExp) => html.match(re)?.length ?? 0;

test('every page has one h1, a banner and a main landmark, no script, and a style the CSP allows', () => {
  const csp = PAGE_HEADERS['content-security-policy'] ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /frame-ancestors 'none'/);
  for (const [name, html] of Object.entries(ALL)) {
    assert.equal(count(html, /<h1[\s>]/g), 1, `${name}: one h1`);
    assert.equal(count(html, /<header[\s>]/g), 1, `${name}: one header`);
    assert.equal(count(html, /<main[\s>]/g), 1, `${name}: one main`);
    assert.doesNotMatch(html, /<script|\sstyle=|\son[a-z]+=/i, `${name}: nothing the CSP would block`);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    assert.ok(csp.includes(`'sha256-${hash}'`), `${name}: the CSP names the stylesheet's hash`);
    assert.match(html, /<meta name="viewport"/);
  }
});

test('the inbox: the heading the lab looks for, the empty state, folders that are not links', () => {
  const html = ALL.inbox;
  assert.match(html, /<h1>Inbox<\/h1>/, 'the lab checks this literal heading');
  assert.match(html, /<p class="empty-title" role="status">Your inbox is empty\.<\/p>/);
  // The lab reports a page by its first paragraph: on the inbox that must be the empty state.
  assert.equal(/<p[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1], 'Your inbox is empty.');
  const nav = /<nav class="folders" aria-label="Folders">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
  for (const folder of ['Inbox', 'Sent', 'Drafts']) assert.ok(nav.includes(`>${folder}</li>`), folder);
  assert.doesNotMatch(nav, /<a[\s>]/, 'no links to nowhere');
  assert.match(nav, /<li aria-current="page">Inbox<\/li>/);
  const header = /<header[^>]*>([\s\S]*?)<\/header>/.exec(html)?.[1] ?? '';
  assert.ok(header.includes(`<span class="user">${USER}</span>`));
  assert.match(
    header,
    /<form method="post" action="\/logout"><button type="submit">Sign out<\/button><\/form>/,
  );
});

test('no licence: a polite alert, which licence, who assigns it, and a way out', () => {
  const html = ALL.noLicence;
  assert.match(html, /<h1>No mailbox for this account<\/h1>/);
  assert.match(html, /<p role="alert">Your account has no licence that includes mail\.<\/p>/);
  assert.match(html, /Exchange Online/);
  assert.match(html, /Office 365 E3/);
  assert.match(html, /administrator/);
  assert.equal(count(html, /action="\/logout"/g), 2, 'the top bar and the card both sign out');
  assert.equal(count(html, />Sign out</g), 1, 'one button named "Sign out"');
  assert.ok(html.includes('>Use a different account</button>'));
});

test('text from the user and from errors is escaped', () => {
  const html = inboxPage('<img src=x onerror=alert(1)>@contoso.test');
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;@contoso.test'));
  assert.doesNotMatch(html, /<img/);
  const error = errorPage(`"quoted" & <b>bold</b>`);
  assert.ok(error.includes('&quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;'));
  assert.match(error, /<a class="button primary" href="\/login">Try again<\/a>/);
  assert.match(ALL.signedOut, /<a class="button primary" href="\/login">Sign in<\/a>/);
});
