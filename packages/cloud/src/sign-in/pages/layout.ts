import { createHash } from 'node:crypto';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** HTML that is already escaped; build it with `html` only. */
export interface SafeHtml {
  readonly __html: string;
}

/**
 * Tagged template that escapes every interpolated value unless it is `SafeHtml` (or an array of it).
 * @example
 *   html`<p>${userInput}</p>`
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return { __html: out };
}

function render(value: unknown): string {
  if (value === undefined || value === null || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'object' && '__html' in value && typeof value.__html === 'string') return value.__html;
  return escapeHtml(String(value));
}

const STYLE = `
:root { color-scheme: light; --accent: #0b5cad; --error: #b3261e; --text: #1b1b1f; --muted: #5d5f66; }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #eef1f5;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--text); }
main { width: min(440px, 100vw - 2rem); background: #fff; border-radius: 8px; padding: 2.25rem 2.5rem;
  box-shadow: 0 2px 6px rgb(0 0 0 / 0.08), 0 12px 32px rgb(0 0 0 / 0.06); }
.brand { font-weight: 600; letter-spacing: 0.01em; color: var(--accent); margin: 0 0 1.25rem; }
h1 { font-size: 1.5rem; font-weight: 600; margin: 0 0 0.5rem; }
p { margin: 0 0 1rem; }
.muted { color: var(--muted); }
label { display: block; font-weight: 500; margin: 1rem 0 0.25rem; }
input[type=text], input[type=email], input[type=password] { width: 100%; padding: 0.6rem 0.7rem; font: inherit;
  border: 1px solid #8a8d94; border-radius: 4px; }
input:focus-visible, button:focus-visible { outline: 3px solid #7fb0e6; outline-offset: 1px; }
input[aria-invalid=true] { border-color: var(--error); }
.error { color: var(--error); margin: 1rem 0 0; }
.actions { display: flex; gap: 0.75rem; justify-content: flex-end; margin-top: 1.75rem; }
button { font: inherit; padding: 0.55rem 1.4rem; border-radius: 4px; border: 1px solid #8a8d94;
  background: #fff; color: var(--text); cursor: pointer; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
ul.scopes { padding-left: 1.25rem; }
code.user-code { font-size: 1.4rem; letter-spacing: 0.15em; }
`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/**
 * Headers for every sign-in page: no framing (clickjacking a consent page), no script at all, only
 * our own inline stylesheet, no referrer leaking query strings, never cached.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
});

/** The page frame every sign-in page shares: one card, a heading, no script. */
export function layout(title: string, body: SafeHtml): string {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · cloudsync</title>
<style>${{ __html: STYLE }}</style>
</head>
<body>
<main>
<p class="brand">cloudsync</p>
${body}
</main>
</body>
</html>`.__html;
}
