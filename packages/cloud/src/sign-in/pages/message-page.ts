import { html, layout, type SafeHtml } from './layout.js';

/** A page that only tells something: errors, success, signed out. */
export function renderMessagePage(title: string, message: string, extra?: SafeHtml): string {
  return layout(title, html`<h1>${title}</h1><p>${message}</p>${extra ?? ''}`);
}
