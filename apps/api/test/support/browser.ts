import { defined } from './client';

/**
 * Just enough of a browser for redirect dances: cookies per host (ports share them, as in
 * browsers), redirects followed one by one, HTML forms submitted.
 */
export class HttpBrowser {
  private readonly jar = new Map<string, Map<string, string>>();
  readonly visited: string[] = [];

  cookie(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).hostname)?.get(name);
  }

  setCookie(url: string, name: string, value: string): void {
    const host = new URL(url).hostname;
    const jar = this.jar.get(host) ?? new Map<string, string>();
    jar.set(name, value);
    this.jar.set(host, jar);
  }

  private async request(url: string, init: RequestInit = {}): Promise<Response> {
    const host = new URL(url).hostname;
    const jar = this.jar.get(host) ?? new Map<string, string>();
    this.jar.set(host, jar);
    const headers = new Headers(init.headers);
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const i = pair.indexOf('=');
      const expired = attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a) || /max-age=0\b/i.test(a.trim()));
      if (expired || i === pair.length - 1) jar.delete(pair.slice(0, i).trim());
      else jar.set(pair.slice(0, i).trim(), pair.slice(i + 1));
    }
    this.visited.push(`${init.method ?? 'GET'} ${url} -> ${res.status}`);
    return res;
  }

  /** Follows redirects; stops at the first page that is not a redirect, or at `stopAt`. */
  async go(url: string, init: RequestInit = {}, stopAt?: (url: string) => boolean): Promise<{ url: string; res: Response }> {
    let current = url;
    let res = await this.request(current, init);
    for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 20; hops++) {
      current = new URL(defined(res.headers.get('location'), `location of the ${res.status} redirect from ${current}`), current).toString();
      if (stopAt?.(current)) return { url: current, res };
      res = await this.request(current);
    }
    return { url: current, res };
  }

  /** Submits the first form of an HTML page (hidden inputs kept) with these extra fields. */
  async submitForm(pageUrl: string, html: string, fields: Record<string, string>, stopAt?: (url: string) => boolean) {
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
    if (!form) throw new Error(`no form in page ${pageUrl}: ${html.slice(0, 500)}`);
    const body = new URLSearchParams();
    for (const m of form[2].matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi)) body.set(m[1], m[2]);
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
    const action = new URL(form[1].replace(/&amp;/g, '&'), pageUrl).toString();
    return this.go(
      action,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() },
      stopAt,
    );
  }
}
