import type { KoaContextWithOIDC } from 'oidc-provider';
import { html, layout, PAGE_HEADERS, type SafeHtml } from './layout.js';
import { renderMessagePage } from './message-page.js';

// oidc-provider renders these pages itself (device flow, logout, errors) and hands us its form
// markup, which it built and escaped; we wrap it in the same frame as the sign-in page.

const trusted = (markup: string): SafeHtml => ({ __html: markup });

function send(ctx: KoaContextWithOIDC, page: string): void {
  ctx.set(PAGE_HEADERS);
  ctx.type = 'html';
  ctx.body = page;
}

function clientName(ctx: KoaContextWithOIDC): string | undefined {
  const client = ctx.oidc?.client;
  return client ? (client.clientName ?? client.clientId) : undefined;
}

/** Reads the action and the anti-forgery token out of oidc-provider's device code form. */
function deviceForm(form: string): { action: string; xsrf: string } | undefined {
  const action = /action="([^"]+)"/.exec(form)?.[1];
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)?.[1];
  return action && xsrf ? { action, xsrf } : undefined;
}

/** Device flow, step 1: the user types the code the CLI printed. */
export async function userCodeInputSource(
  ctx: KoaContextWithOIDC,
  form: string,
  _out?: unknown,
  err?: { name?: string; userCode?: string },
): Promise<void> {
  const error = !err
    ? undefined
    : err.userCode || err.name === 'NoCodeError'
      ? 'That code is not right, or it has expired. Check the code and try again.'
      : err.name === 'AbortedError'
        ? 'The sign-in was cancelled.'
        : 'Something went wrong. Try again.';
  const parts = deviceForm(form);
  const described = error ? html` aria-describedby="code-error" aria-invalid="true"` : '';
  const body = parts
    ? html`<form method="post" action="${parts.action}" novalidate>
<input type="hidden" name="xsrf" value="${parts.xsrf}">
<label for="user_code">Code</label>
<input id="user_code" name="user_code" type="text" autocomplete="off" autocapitalize="characters" required autofocus
  value="${err?.userCode ?? ''}"${described}>
${error ? html`<p id="code-error" class="error" role="alert">${error}</p>` : ''}
<div class="actions"><button type="submit" class="primary">Next</button></div>
</form>`
    : html`${trusted(form)}${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<div class="actions"><button type="submit" form="op.deviceInputForm" class="primary">Next</button></div>`;
  send(
    ctx,
    layout(
      'Enter code',
      html`<h1>Enter code</h1><p class="muted">Enter the code shown by the app or device you are signing in to.</p>${body}`,
    ),
  );
}

/** Device flow, step 2: the user confirms the code matches what the device shows. */
export async function userCodeConfirmSource(
  ctx: KoaContextWithOIDC,
  form: string,
  _client: unknown,
  _deviceInfo: unknown,
  userCode: string,
): Promise<void> {
  send(
    ctx,
    layout(
      'Confirm sign-in',
      html`<h1>Confirm sign-in</h1>
<p>Are you signing in to <strong>${clientName(ctx) ?? 'an app'}</strong>? The device should show this code:</p>
<p><code class="user-code">${userCode}</code></p>
<p class="muted">If you did not start this sign-in, or the code does not match, cancel.</p>
${trusted(form)}
<div class="actions">
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Cancel</button>
<button type="submit" form="op.deviceConfirmForm" class="primary" autofocus>Continue</button>
</div>`,
    ),
  );
}

/** Device flow, last step. */
export async function successSource(ctx: KoaContextWithOIDC): Promise<void> {
  const name = clientName(ctx);
  send(
    ctx,
    renderMessagePage(
      'You are signed in',
      `You signed in${name ? ` to ${name}` : ''}. You can close this window and go back to your device.`,
    ),
  );
}

/** RP-initiated logout: ask before ending the session. */
export async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  send(
    ctx,
    layout(
      'Sign out',
      html`<h1>Sign out?</h1><p>Do you want to sign out of cloudsync?</p>${trusted(form)}
<div class="actions">
<button type="submit" form="op.logoutForm">Stay signed in</button>
<button type="submit" form="op.logoutForm" name="logout" value="yes" class="primary" autofocus>Sign out</button>
</div>`,
    ),
  );
}

/** After logout when the app gave no page to return to. */
export async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  send(ctx, renderMessagePage('You signed out', 'You have signed out. You can close this window.'));
}

/** oidc-provider's error page: the error code and its safe description only. */
export async function renderError(
  ctx: KoaContextWithOIDC,
  out: { error: string; error_description?: string },
): Promise<void> {
  send(
    ctx,
    renderMessagePage(
      'Sign-in failed',
      out.error_description ?? 'The request could not be completed.',
      html`<p class="muted">Error code: <code>${out.error}</code></p>`,
    ),
  );
}
