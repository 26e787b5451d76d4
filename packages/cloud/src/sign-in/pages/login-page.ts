import { html, layout } from './layout.js';

export interface LoginPageModel {
  /** Where the form posts. */
  action: string;
  /** Name of the app the user signs in to. */
  clientName: string;
  /** The name typed last time, kept so only the password needs typing again. */
  username?: string;
  /** Why the last attempt was refused. */
  error?: string;
}

/** The sign-in form: user name (UPN) and password, with the refusal bound to both inputs. */
export function renderLoginPage(model: LoginPageModel): string {
  const described = model.error ? 'sign-in-error' : undefined;
  const invalid = model.error ? 'true' : undefined;
  return layout(
    'Sign in',
    html`<h1>Sign in</h1>
<p class="muted">to continue to ${model.clientName}</p>
<form method="post" action="${model.action}" novalidate>
<label for="username">Username</label>
<input id="username" name="username" type="email" autocomplete="username" required autofocus
  placeholder="someone@example.com" value="${model.username ?? ''}"${attr('aria-describedby', described)}${attr('aria-invalid', invalid)}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${attr('aria-describedby', described)}${attr('aria-invalid', invalid)}>
${model.error ? html`<p id="sign-in-error" class="error" role="alert">${model.error}</p>` : ''}
<div class="actions"><button type="submit" class="primary">Sign in</button></div>
</form>`,
  );
}

function attr(name: string, value: string | undefined) {
  return value === undefined ? '' : html` ${{ __html: name }}="${value}"`;
}
