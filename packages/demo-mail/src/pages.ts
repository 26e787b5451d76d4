const escapeText = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** The demo's one layout: a title, a body, and the signed-in user with a sign-out button. */
export function page(title: string, body: string, user?: string): string {
  const who = user
    ? `<form method="post" action="/logout"><span>${escapeText(user)}</span> <button type="submit">Sign out</button></form>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeText(title)} · Mail</title></head>
<body><header><strong>Mail</strong> ${who}</header><main><h1>${escapeText(title)}</h1>${body}</main></body></html>`;
}

export const signedOutPage = () =>
  page('Mail', '<p>Read your mail with your work account.</p><p><a href="/login">Sign in</a></p>');

export const inboxPage = (user: string) =>
  page('Inbox', '<p role="status">Your inbox is empty.</p><ul aria-label="Messages"></ul>', user);

export const noLicencePage = (user: string) =>
  page(
    'No mailbox for this account',
    '<p role="alert">Your account has no licence that includes mail. Ask your administrator to assign one (for example Office 365 E3), then sign in again.</p>',
    user,
  );

export const errorPage = (message: string) =>
  page('Sign-in failed', `<p role="alert">${escapeText(message)}</p><p><a href="/login">Try again</a></p>`);
