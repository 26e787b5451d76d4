import { html, layout } from './layout.js';

export interface ConsentPageModel {
  action: string;
  abortAction: string;
  clientName: string;
  userPrincipalName: string;
  /** What the app asks for, in words (one line each). */
  permissions: string[];
}

/** Asks the signed-in user whether a third-party app may act for them. */
export function renderConsentPage(model: ConsentPageModel): string {
  return layout(
    'Permissions requested',
    html`<h1>Permissions requested</h1>
<p><strong>${model.clientName}</strong> wants to:</p>
<ul class="scopes">${model.permissions.map((p) => html`<li>${p}</li>`)}</ul>
<p class="muted">Signed in as ${model.userPrincipalName}. Accept only if you trust this app.</p>
<div class="actions">
<form method="post" action="${model.abortAction}"><button type="submit">Cancel</button></form>
<form method="post" action="${model.action}"><button type="submit" class="primary" autofocus>Accept</button></form>
</div>`,
  );
}
