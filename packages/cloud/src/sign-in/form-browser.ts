// For tests only: a minimal browser over fetch — a cookie jar, manual redirects, and form posts —
// enough to drive the sign-in pages with real HTTP the way a user agent without JavaScript does.

export interface Page {
  url: string;
  status: number;
  html: string;
}

export class FormBrowser {
  readonly #cookies = new Map<string, string>();

  /**
   * @param via Optional reverse proxy stand-in: maps each URL to where it is fetched and gives the
   *   headers the proxy would add (e.g. X-Forwarded-Proto).
   */
  constructor(readonly via?: { rewrite: (url: string) => string; headers: Record<string, string> }) {}

  /** The cookie header this browser sends (all cookies; paths are not needed by these tests). */
  get cookieHeader(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Follows redirects until a page, or until a URL starting with `stopAt` (the app's redirect URI). */
  async open(url: string, stopAt?: string): Promise<Page> {
    return this.#follow(url, { method: 'GET' }, stopAt);
  }

  /**
   * Posts the form whose action is `action` (relative to the page), with its hidden inputs plus
   * `fields`, and follows the redirects.
   */
  async submit(page: Page, action: string, fields: Record<string, string>, stopAt?: string): Promise<Page> {
    const url = new URL(action, page.url).href;
    const body = new URLSearchParams({ ...hiddenFields(page.html, action), ...fields }).toString();
    return this.#follow(
      url,
      { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      stopAt,
    );
  }

  async #follow(url: string, init: RequestInit, stopAt: string | undefined): Promise<Page> {
    let current = url;
    let request = init;
    for (let hops = 0; hops < 20; hops++) {
      if (stopAt && current.startsWith(stopAt)) return { url: current, status: 0, html: '' };
      const headers = new Headers(request.headers);
      for (const [name, value] of Object.entries(this.via?.headers ?? {})) headers.set(name, value);
      if (this.#cookies.size > 0) headers.set('cookie', this.cookieHeader);
      const target = this.via ? this.via.rewrite(current) : current;
      const res = await fetch(target, { ...request, headers, redirect: 'manual' });
      this.#store(res.headers.getSetCookie());
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        current = new URL(location, current).href;
        request = { method: 'GET' };
        continue;
      }
      return { url: current, status: res.status, html: await res.text() };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  #store(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
}

/** The `action` of the form on a page whose submit button says `button` (first form otherwise). */
export function formAction(html: string, button?: string): string {
  const forms = [...html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
  const form = button ? forms.find((f) => f[2]?.includes(`>${button}<`)) : forms[0];
  if (!form?.[1]) throw new Error(`no form${button ? ` with a "${button}" button` : ''} on the page`);
  return form[1].replaceAll('&amp;', '&');
}

function hiddenFields(html: string, action: string): Record<string, string> {
  const form = [...html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)].find(
    (f) => f[1]?.replaceAll('&amp;', '&') === action,
  );
  const fields: Record<string, string> = {};
  for (const input of form?.[2]?.matchAll(/<input[^>]*type="hidden"[^>]*>/g) ?? []) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1];
    if (name) fields[name] = (value ?? '').replaceAll('&amp;', '&').replaceAll('&quot;', '"');
  }
  return fields;
}
