// A minimal browser for the lab's sign-in: follows redirects by hand, keeps cookies per host, and
// submits a page's first POST form with its hidden fields. Enough for an OpenID Connect code flow
// through server-rendered pages; no script runs.

/** A page the browser stands on. */
export interface BrowserPage {
  url: string;
  status: number;
  html: string;
}

export interface FormBrowser {
  go(url: string): Promise<BrowserPage>;
  /** Posts the page's first `method="post"` form with its hidden inputs plus `fields`. */
  submit(page: BrowserPage, fields: Record<string, string>): Promise<BrowserPage>;
}

const decode = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

/** A new browser with an empty cookie jar. */
export function createFormBrowser(): FormBrowser {
  const jar = new Map<string, Map<string, string>>();
  const cookiesFor = (url: URL) =>
    [...(jar.get(url.host) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (url: URL, res: Response) => {
    const cookies = jar.get(url.host) ?? new Map<string, string>();
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      if (at <= 0) continue;
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (/max-age=0/i.test(line) || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    jar.set(url.host, cookies);
  };
  async function request(start: string, init?: { body: string }): Promise<BrowserPage> {
    let url = new URL(start);
    let body = init?.body;
    for (let hop = 0; hop < 20; hop++) {
      const res = await fetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        redirect: 'manual',
        headers: {
          cookie: cookiesFor(url),
          accept: 'text/html',
          ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
        },
        ...(body === undefined ? {} : { body }),
      });
      keep(url, res);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.arrayBuffer();
        url = new URL(location, url);
        body = undefined;
        continue;
      }
      return { url: url.href, status: res.status, html: await res.text() };
    }
    throw new Error(`more than 20 redirects from ${start}`);
  }
  return {
    go: (url) => request(url),
    async submit(page, fields) {
      const form = /<form[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/i.exec(page.html);
      const action = form ? /action="([^"]*)"/.exec(form[0])?.[1] : undefined;
      if (!form || action === undefined) throw new Error(`no form on ${page.url} (${page.status})`);
      const values = new URLSearchParams();
      for (const input of form[1]?.matchAll(/<input[^>]*type="hidden"[^>]*>/g) ?? []) {
        const name = /name="([^"]+)"/.exec(input[0])?.[1];
        const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
        if (name) values.set(name, decode(value));
      }
      for (const [k, v] of Object.entries(fields)) values.set(k, v);
      return request(new URL(decode(action), page.url).href, { body: values.toString() });
    },
  };
}
