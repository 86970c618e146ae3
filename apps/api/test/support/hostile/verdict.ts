/**
 * How the hostile-input suite judges an answer, and how it reports: the properties every answer must keep
 * (`problemsOf`), requests and answers shown for people, failures grouped by cause.
 */

const STACK = /at .*\.(js|ts):\d+/;

/** JSON for people: long strings shortened (with their length), NUL and surrogates escaped by JSON. */
export function show(value: unknown, max = 2000): string {
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'string' && v.length > 120) {
      const head = v.slice(0, 40);
      const uniform = [...new Set(v)].length === 1 || v === head[0].repeat(v.length);
      return uniform ? `<${JSON.stringify(head[0]).slice(1, -1)} × ${v.length}>` : `${head}…<${v.length} chars>`;
    }
    return v;
  });
  return text.length > max ? `${text.slice(0, max)}…<${text.length} chars>` : text;
}

export interface Observed {
  status: number;
  text: string;
  networkError?: string;
}

/** An answer as text, or the connection's failure (which a property then reports). */
export async function observe(run: () => Promise<Response>): Promise<Observed> {
  try {
    const res = await run();
    const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
    return { status: res.status, text };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    return {
      status: 0,
      text: '',
      networkError: `${err.message}${err.cause ? ` (${err.cause.code ?? ''} ${err.cause.message ?? ''})` : ''}`,
    };
  }
}

/** What the cases read back from a JSON answer. */
export interface Body {
  errors?: unknown;
  code?: unknown;
  message?: unknown;
  data?: Record<string, { url?: unknown; challengeToken?: unknown; pageInfo?: Record<string, unknown> } | null | undefined> | null;
}

/** What one answer shows: the properties it breaks, whether the request was refused, the error codes and messages. */
export interface Verdict {
  problems: string[];
  refused: boolean;
  codes: string[];
  messages: string[];
  json: Body | undefined;
}

/**
 * The properties every answer keeps: HTTP status < 500, no INTERNAL_SERVER_ERROR, a string extensions.code on every
 * GraphQL error, no stack trace or node_modules path, JSON from /graphql. (That a refused request changed nothing is
 * checked by the spec against the data's fingerprint.)
 */
export function problemsOf(r: Observed, graphql: boolean): Verdict {
  const problems: string[] = [];
  if (r.networkError) problems.push(`connection failed: ${r.networkError}`);
  if (r.status >= 500) problems.push(`HTTP ${r.status}`);
  if (STACK.test(r.text)) problems.push(`stack trace in the response (${STACK.exec(r.text)?.[0].slice(0, 120)})`);
  if (r.text.includes('node_modules')) problems.push('node_modules path in the response');
  let json: Body | undefined;
  try {
    const parsed: unknown = JSON.parse(r.text);
    json = parsed && typeof parsed === 'object' ? (parsed as Body) : {};
  } catch {
    json = undefined;
  }
  const codes: string[] = [];
  const messages: string[] = [];
  const errors = json?.errors;
  if (Array.isArray(errors)) {
    for (const e of errors as { message?: unknown; extensions?: { code?: unknown } }[]) {
      const code = e?.extensions?.code;
      messages.push(String(e?.message ?? ''));
      if (typeof code !== 'string') problems.push(`GraphQL error without a string extensions.code: ${show(e, 300)}`);
      else {
        codes.push(code);
        if (code === 'INTERNAL_SERVER_ERROR') problems.push('INTERNAL_SERVER_ERROR');
      }
    }
  } else if (json && typeof json === 'object' && typeof json.code === 'string') {
    codes.push(json.code);
    messages.push(String(json.message ?? ''));
    if (json.code === 'INTERNAL_SERVER_ERROR') problems.push('INTERNAL_SERVER_ERROR');
  }
  if (graphql && !r.networkError && json === undefined) problems.push(`GraphQL answer is not JSON: ${r.text.slice(0, 200)}`);
  const refused = Boolean(r.networkError) || r.status >= 400 || (Array.isArray(errors) && errors.length > 0);
  return { problems, refused, codes, messages, json };
}

/** The decoded JSON of crafted users cursors, for the report. */
export function describeCursors(args: Record<string, unknown>): string {
  const out: string[] = [];
  for (const k of ['after', 'before']) {
    const v = args[k];
    if (typeof v !== 'string' || v.length > 2000) continue;
    const decoded = Buffer.from(v, 'base64url').toString('utf8');
    if (/^[[{"]/.test(decoded)) out.push(`${k} decodes to ${show(decoded, 600)}`);
  }
  return out.length ? `\n    (${out.join('; ')})` : '';
}

/** The first error the server logged (pino JSON or text), without its stack. */
export function serverLogOf(output: string): string {
  for (const line of output.split('\n')) {
    const t = line.trim();
    if (!t) continue;
    try {
      const j = JSON.parse(t) as { msg?: unknown; err?: { message?: unknown } };
      const msg = String(j.err?.message ?? j.msg ?? '');
      if (msg) return msg.split('\n')[0].slice(0, 300);
    } catch {
      if (!/^\s*at /.test(t)) return t.slice(0, 300);
    }
  }
  return '';
}

interface Failure {
  signature: string;
  problems: string[];
  request: string;
  observed: string;
  changedTables: string[];
  count: number;
}

/** One failing case, as the suite saw it. */
export interface FailedCase {
  index: number;
  /** The operation (`query users`, `mutation createTeam`) or the HTTP case's label. */
  target: string;
  /** The request, shown for people. */
  request: string;
  observed: Observed;
  verdict: Verdict;
  changedTables: string[];
  /** The first error the server logged while answering. */
  serverLog: string;
}

/** Failures grouped by cause (operation, kind of problem, code, message, server log); each group keeps its smallest request. */
export class FailureLog {
  private readonly failures = new Map<string, Failure>();

  get size(): number {
    return this.failures.size;
  }

  add({ index, target, request, observed, verdict, changedTables, serverLog }: FailedCase): void {
    const kinds = verdict.problems.map((x) => x.replace(/\(.*$/, '').replace(/:.*/, '').trim()).join('+');
    const normalise = (m: string) =>
      m
        .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '<uuid>')
        .replace(/"[^"]*"/g, '"…"')
        .replace(/\d+/g, 'N')
        .slice(0, 100);
    const message = normalise(verdict.messages[0] ?? observed.networkError ?? observed.text.slice(0, 80));
    const signature = `${target} | ${kinds} | ${verdict.codes.join(',') || `HTTP ${observed.status}`} | ${message}${serverLog ? ` | log: ${normalise(serverLog)}` : ''}`;
    const entry: Failure = {
      signature,
      problems: verdict.problems,
      request,
      observed: `case #${index}: HTTP ${observed.status}${observed.networkError ? ` (${observed.networkError})` : ''} ${observed.text.length > 600 ? `${observed.text.slice(0, 600)}…` : observed.text}${serverLog ? `\n  server log: ${serverLog}` : ''}`,
      changedTables,
      count: 1,
    };
    const seen = this.failures.get(signature);
    if (!seen) this.failures.set(signature, entry);
    else {
      seen.count++;
      if (entry.request.length < seen.request.length) Object.assign(seen, { ...entry, count: seen.count });
    }
  }

  report(): string {
    return [...this.failures.values()]
      .map(
        (f, i) =>
          `#${i + 1} ×${f.count} ${f.signature}\n  problems: ${f.problems.join('; ')}\n  request: ${f.request}\n  observed: ${f.observed}`,
      )
      .join('\n\n');
  }
}

/** How each operation or route answered: answered or refused, and the outcomes by caller and code. */
export class Outcomes {
  private readonly outcomes = new Map<string, { ok: number; refused: number; codes: Map<string, number> }>();

  add(target: string, who: string, verdict: Verdict, status: number): void {
    const tally = this.outcomes.get(target) ?? { ok: 0, refused: 0, codes: new Map<string, number>() };
    tally[verdict.refused ? 'refused' : 'ok']++;
    const outcome = `${who}:${verdict.codes[0] ?? (verdict.refused ? `HTTP ${status}` : 'OK')}`;
    tally.codes.set(outcome, (tally.codes.get(outcome) ?? 0) + 1);
    this.outcomes.set(target, tally);
  }

  /** One line per operation or route, sorted by name. */
  summary(): string {
    return [...this.outcomes.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([t, o]) =>
          `${t}: ${o.ok} ok, ${o.refused} refused (${[...o.codes]
            .sort((a, b) => b[1] - a[1])
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')})`,
      )
      .join('\n  ');
  }
}
