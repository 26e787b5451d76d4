import { createHash } from 'node:crypto';

// The demo's own stylesheet, in the visual family of the cloud's sign-in pages (same accent, page
// background, card and system font) but not imported from them: Mail is a separate app. Colours
// meet WCAG AA: text #1b1b1f and muted #52555c on #fff and #eef1f5; white on the accent #0b5cad.
export const STYLE = `
:root { color-scheme: light; --accent: #0b5cad; --accent-dark: #084a8c; --accent-soft: #dde7f3;
  --error: #b3261e; --text: #1b1b1f; --muted: #52555c; --line: #d5d9e0; --page: #eef1f5; }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; background: var(--page);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--text); }
.topbar { display: flex; align-items: center; justify-content: space-between; gap: 1rem;
  padding: 0.625rem 1.25rem; background: #fff; border-bottom: 1px solid var(--line); }
.app { display: flex; align-items: center; gap: 0.5rem; font-size: 1.125rem; font-weight: 600;
  color: var(--accent); }
.app svg { width: 1.5rem; height: 1.5rem; }
.account { display: flex; align-items: center; gap: 0.75rem; min-width: 0; margin: 0; }
.user { color: var(--muted); min-width: 0; overflow-wrap: anywhere; text-align: right; }
.shell { flex: 1; width: 100%; max-width: 72rem; margin: 0 auto; padding: 1.5rem 1.25rem;
  display: grid; grid-template-columns: 12rem minmax(0, 1fr); gap: 1.5rem; align-items: start; align-content: start; }
.folders h2 { font-size: 0.8125rem; font-weight: 600; text-transform: uppercase; letter-spacing: 0.06em;
  color: var(--muted); margin: 0.25rem 0.75rem 0.5rem; }
.folders ul { list-style: none; margin: 0; padding: 0; }
.folders li { padding: 0.45rem 0.75rem; border-radius: 4px; color: var(--muted); }
.folders li[aria-current] { background: var(--accent-soft); color: var(--text); font-weight: 600; }
.card { background: #fff; border-radius: 8px; padding: 1.75rem 2rem;
  box-shadow: 0 2px 6px rgb(0 0 0 / 0.08), 0 12px 32px rgb(0 0 0 / 0.06); }
.single { flex: 1; display: grid; place-items: center; padding: 2rem 1rem; }
.single .card { width: min(480px, 100%); }
h1 { font-size: 1.5rem; font-weight: 600; margin: 0 0 0.75rem; }
p { margin: 0 0 1rem; }
.muted { color: var(--muted); }
.empty { text-align: center; padding: 2.5rem 1rem 1.5rem; }
.empty svg { width: 4rem; height: 4rem; color: var(--accent); margin-bottom: 0.75rem; }
.empty-title { font-size: 1.125rem; font-weight: 600; margin-bottom: 0.25rem; }
.error { color: var(--error); font-weight: 500; }
.actions { display: flex; flex-wrap: wrap; gap: 0.75rem; justify-content: flex-end; margin-top: 1.5rem; }
.actions form { margin: 0; }
button, .button { display: inline-block; font: inherit; line-height: 1.5; padding: 0.45rem 1.1rem;
  border-radius: 4px; border: 1px solid #8a8d94; background: #fff; color: var(--text); cursor: pointer;
  text-decoration: none; white-space: nowrap; }
button:hover, .button:hover { background: #f3f5f8; }
.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
.primary:hover { background: var(--accent-dark); border-color: var(--accent-dark); }
a:focus-visible, button:focus-visible { outline: 3px solid #1a73d9; outline-offset: 2px; }
@media (max-width: 40rem) {
  .topbar { padding: 0.5rem 0.75rem; }
  .user { font-size: 0.875rem; line-height: 1.3; }
  .shell { grid-template-columns: minmax(0, 1fr); padding: 1rem 0.75rem; gap: 1rem; }
  .folders h2 { margin-left: 0; }
  .folders ul { display: flex; gap: 0.25rem; }
  .card { padding: 1.25rem; }
}
`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/**
 * Headers for every Mail page: no script at all, only the inline stylesheet above (by its hash), no
 * framing, no referrer (the callback URL carries the authorization code), never cached.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; frame-ancestors 'none'; base-uri 'none'`,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
});
