import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startApp, TestApp } from './support/app';

interface OtlpSpan {
  traceId: string;
  name: string;
  attributes?: { key: string; value: { stringValue?: string } }[];
}

/**
 * With OTEL_EXPORTER_OTLP_ENDPOINT set, each request becomes a trace (a collector on loopback receives
 * it over OTLP/HTTP) holding the GraphQL operation and its SQL statements.
 */
describe('OpenTelemetry traces', () => {
  let collector: Server;
  let app: TestApp;
  const spans: OtlpSpan[] = [];

  beforeAll(async () => {
    collector = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        if (req.url === '/v1/traces') {
          const payload = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
          for (const rs of payload.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((ok) => collector.listen(0, '127.0.0.1', ok));
    const port = (collector.address() as AddressInfo).port;
    app = await startApp('tracing', { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_BSP_SCHEDULE_DELAY: '100' });
  });
  afterAll(async () => {
    await app?.close();
    await new Promise<void>((ok) => collector?.close(() => ok()));
  });

  const attr = (s: OtlpSpan, key: string) => s.attributes?.find((a) => a.key === key)?.value.stringValue;

  it('sends the GraphQL operation and its SQL in one trace, without statement parameters', async () => {
    await app.admin.ok(`query TracedPage { users(first: 5, search: "secret-term") { totalCount } }`);
    const deadline = Date.now() + 10_000;
    let execute: OtlpSpan | undefined;
    while (!(execute = spans.find((s) => s.name.startsWith('query TracedPage') || attr(s, 'graphql.operation.name') === 'TracedPage'))) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500));
    const trace = spans.filter((s) => s.traceId === execute?.traceId);
    const names = trace.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['POST /graphql', 'graphql.parse', 'graphql.validate', 'query TracedPage']));
    expect(names.some((n) => /^middleware/.test(n))).toBe(false);
    expect(names.some((n) => /^pg\.query/.test(n))).toBe(true);
    // The search term travels as a statement parameter, which is never recorded.
    expect(JSON.stringify(trace)).not.toContain('secret-term');
  });

  it('records URLs without their query strings (set-up, invitation and reset tokens, OIDC codes)', async () => {
    await fetch(`${app.server.url}/reset-password?token=QUERYSECRET123`, { headers: { accept: 'text/html' } });
    await fetch(`${app.server.url}/api/export/users?format=csv&search=EMAILSECRET`);
    const deadline = Date.now() + 10_000;
    while (spans.filter((s) => /^GET/.test(s.name)).length < 2) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 300));
    const text = JSON.stringify(spans);
    expect(text).not.toContain('QUERYSECRET123');
    expect(text).not.toContain('EMAILSECRET');
    expect(text).toContain('/reset-password');
  });
});
