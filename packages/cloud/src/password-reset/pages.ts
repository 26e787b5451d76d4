import { html, layout, type SafeHtml } from '../sign-in/pages/layout.js';

/** Where the reset pages live. */
export const RESET_PATH = '/password-reset';

const error = (message: string | undefined) =>
  message ? html`<p id="form-error" class="error" role="alert">${message}</p>` : '';
const described = (message: string | undefined): SafeHtml =>
  message ? { __html: ' aria-describedby="form-error" aria-invalid="true"' } : { __html: '' };
const flowField = (flow: string) => html`<input type="hidden" name="flow" value="${flow}">`;

/** Step 1 of "forgot password": which account. */
export function renderStartPage(model: { username?: string; error?: string }): string {
  return layout(
    'Reset your password',
    html`<h1>Reset your password</h1>
<form method="post" action="${RESET_PATH}" novalidate>
<label for="username">Username</label>
<input id="username" name="username" type="email" autocomplete="username" required autofocus value="${model.username ?? ''}"${described(model.error)}>
${error(model.error)}
<div class="actions"><button type="submit" class="primary">Next</button></div>
</form>
<p class="muted"><a href="${RESET_PATH}/change">Change a password you know</a> · <a href="${RESET_PATH}/register">Register a reset method</a></p>`,
  );
}

/** Step 2: one button per registered method. */
export function renderMethodPage(model: {
  flow: string;
  choices: { method: string; label: string }[];
}): string {
  return layout(
    'Verify it is you',
    html`<h1>Verify it is you</h1>
<p>Choose how to receive a verification code.</p>
${model.choices.map(
  (c) => html`<form method="post" action="${RESET_PATH}/method">${flowField(model.flow)}
<input type="hidden" name="method" value="${c.method}">
<div class="actions"><button type="submit" class="primary">${c.label}</button></div></form>`,
)}`,
  );
}

/** Step 3: the code (e-mailed, or from the authenticator app). */
export function renderCodePage(model: {
  action: string;
  flow: string;
  prompt: string;
  error?: string;
  extra?: SafeHtml;
}): string {
  return layout(
    'Enter the code',
    html`<h1>Enter the code</h1>
<p>${model.prompt}</p>${model.extra ?? ''}
<form method="post" action="${model.action}" novalidate>${flowField(model.flow)}
<label for="code">Code</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required autofocus${described(model.error)}>
${error(model.error)}
<div class="actions"><button type="submit" class="primary">Verify</button></div>
</form>`,
  );
}

/** Step 4: the new password, twice. */
export function renderNewPasswordPage(model: { flow: string; error?: string }): string {
  return layout(
    'Choose a new password',
    html`<h1>Choose a new password</h1>
<form method="post" action="${RESET_PATH}/password" novalidate>${flowField(model.flow)}
<label for="newPassword">New password</label>
<input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required autofocus${described(model.error)}>
<label for="confirmPassword">Confirm new password</label>
<input id="confirmPassword" name="confirmPassword" type="password" autocomplete="new-password" required${described(model.error)}>
${error(model.error)}
<div class="actions"><button type="submit" class="primary">Reset password</button></div>
</form>`,
  );
}

/** "Change my password": the name, the current password and the new one. */
export function renderChangePage(model: { username?: string; error?: string }): string {
  return layout(
    'Change your password',
    html`<h1>Change your password</h1>
<form method="post" action="${RESET_PATH}/change" novalidate>
<label for="username">Username</label>
<input id="username" name="username" type="email" autocomplete="username" required value="${model.username ?? ''}">
<label for="currentPassword">Current password</label>
<input id="currentPassword" name="currentPassword" type="password" autocomplete="current-password" required${described(model.error)}>
<label for="newPassword">New password</label>
<input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required${described(model.error)}>
<label for="confirmPassword">Confirm new password</label>
<input id="confirmPassword" name="confirmPassword" type="password" autocomplete="new-password" required${described(model.error)}>
${error(model.error)}
<div class="actions"><button type="submit" class="primary">Change password</button></div>
</form>`,
  );
}

/** Registration, step 1: prove who you are with your password. */
export function renderRegisterSignInPage(model: { username?: string; error?: string }): string {
  return layout(
    'Register a reset method',
    html`<h1>Register a reset method</h1>
<p class="muted">Sign in to add a way to reset your password yourself.</p>
<form method="post" action="${RESET_PATH}/register" novalidate>
<label for="username">Username</label>
<input id="username" name="username" type="email" autocomplete="username" required autofocus value="${model.username ?? ''}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${described(model.error)}>
${error(model.error)}
<div class="actions"><button type="submit" class="primary">Sign in</button></div>
</form>`,
  );
}

/** What the registration choice shows, and where its two forms post. */
export interface RegisterChoiceModel {
  flow: string;
  /** Offer an e-mail address (proven by a code sent to it). */
  email: boolean;
  /** Offer an authenticator app (proven by a current code). */
  app: boolean;
  error?: string;
  /** Where the forms post: `<base>/email` and `<base>/app`. */
  base?: string;
  heading?: string;
  /** A paragraph under the heading. */
  intro?: SafeHtml;
  /** After the forms, e.g. the sign-in's Cancel. */
  footer?: SafeHtml;
}

/** Registration, step 2: an e-mail address, or an authenticator app. */
export function renderRegisterChoicePage(model: RegisterChoiceModel): string {
  const base = model.base ?? `${RESET_PATH}/register`;
  const heading = model.heading ?? 'Register a reset method';
  return layout(
    heading,
    html`<h1>${heading}</h1>${model.intro ?? ''}
${
  model.email
    ? html`<form method="post" action="${base}/email" novalidate>${flowField(model.flow)}
<label for="address">E-mail address</label>
<input id="address" name="address" type="email" autocomplete="email" required autofocus${described(model.error)}>
${error(model.error)}
<div class="actions"><button type="submit" class="primary">Send a code</button></div></form>`
    : error(model.error)
}
${
  model.app
    ? html`<form method="post" action="${base}/app">${flowField(model.flow)}
<div class="actions"><button type="submit"${model.email ? '' : html` class="primary" autofocus`}>Use an authenticator app</button></div></form>`
    : ''
}${model.footer ?? ''}`,
  );
}

/** How to add the account to an authenticator app: the QR code, the link, the key to type. */
export function renderAppKey(start: { secret: string; uri: string; qrSvg: string }): SafeHtml {
  return html`<p>Scan this QR code with the app, open <a id="otpauth" href="${start.uri}">this link</a> on your phone, or type the key <code id="totp-secret">${start.secret}</code>.</p>
<p>${{ __html: start.qrSvg }}</p>`;
}
