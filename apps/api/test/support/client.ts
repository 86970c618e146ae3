/**
 * A small GraphQL-over-HTTP client that behaves like the console: it keeps cookies and sends
 * the CSRF header the session cookie pairs with.
 */
/** GraphQL answers are untyped JSON that tests read freely: the one place `any` is allowed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL answers are untyped JSON that tests read freely
export type Json = any;

/** The value, or a clear test failure naming what is missing (instead of a non-null assertion). */
export function defined<T>(value: T | null | undefined, what = 'value'): T {
  if (value == null) throw new Error(`${what} is missing`);
  return value;
}

export interface GraphQLResult<T = Json> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[];
}

export class Client {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    private readonly opts: { csrf?: boolean; bearer?: string; userAgent?: string } = {},
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keepCookies(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.cookieHeader());
    if (this.opts.bearer) headers.set('authorization', `Bearer ${this.opts.bearer}`);
    if (this.opts.userAgent) headers.set('user-agent', this.opts.userAgent);
    // As the console's scripts do (GraphQL, exports): the session's CSRF token in its header.
    const csrf = this.cookies.get('roster_csrf');
    if (csrf && this.opts.csrf !== false && !headers.has('x-csrf-token')) headers.set('x-csrf-token', csrf);
    const res = await fetch(`${this.baseUrl}${path}`, { ...init, headers, redirect: 'manual' });
    this.keepCookies(res);
    return res;
  }

  async gql<T = Json>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResult<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const res = await this.fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as GraphQLResult<T>;
    return { ...body, status: res.status };
  }

  /** Runs an operation that must succeed and returns its data. */
  async ok<T = Json>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const r = await this.gql<T>(query, variables);
    if (r.errors?.length || !r.data) throw new Error(`GraphQL failed: ${JSON.stringify(r.errors)}`);
    return r.data;
  }

  /** Runs an operation that must fail and returns its error code. */
  async code(query: string, variables: Record<string, unknown> = {}): Promise<string | undefined> {
    const r = await this.gql(query, variables);
    expect(r.status).toBeLessThan(500);
    expect(r.errors?.length).toBeGreaterThan(0);
    for (const e of r.errors ?? []) expect(JSON.stringify(e)).not.toMatch(/at .*\.(js|ts):\d+/); // no stack traces
    return r.errors?.[0]?.extensions?.code;
  }
}
