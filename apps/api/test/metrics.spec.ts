import { request } from 'node:http';
import { Client as Pg } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../tools/testing/database';
import { freePort, startServer, TestServer } from '../../../tools/testing/server';

/**
 * Prometheus metrics of a server running several processes (WEB_CONCURRENCY=2): every scrape, on the
 * main port with METRICS_TOKEN or on METRICS_PORT, whichever process takes it, counts what both
 * processes did.
 */
describe('metrics with several processes', () => {
  const TOKEN = 'metrics-token-0123456789';
  const POOL_SIZE = 3;
  let db: TestDatabase;
  let server: TestServer;
  let metricsPort: number;
  let pg: Pg;

  beforeAll(async () => {
    db = await createTestDatabase('metrics');
    metricsPort = await freePort();
    server = await startServer(db.url, {
      WEB_CONCURRENCY: '2',
      METRICS_TOKEN: TOKEN,
      METRICS_PORT: String(metricsPort),
      DATABASE_POOL_SIZE: String(POOL_SIZE),
    });
    pg = new Pg({ connectionString: db.url });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end();
    await server?.stop();
    await db?.drop();
  });

  /** One request on a connection of its own: the cluster hands each new connection to the next process. */
  function once(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
    return new Promise<{ status: number; text: string }>((ok, ko) => {
      const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => ok({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', ko);
      req.end(init.body);
    });
  }

  const scrapeToken = () => once(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const scrapePort = () => once(`http://127.0.0.1:${metricsPort}/metrics`);
  /** A sample's value in a scrape (NaN when absent). */
  const value = (text: string, sample: string) =>
    Number(new RegExp(`^${sample.replace(/[{}"().]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

  it('sum both processes in every scrape, on the main port and on METRICS_PORT', async () => {
    const N = 10;
    for (let i = 0; i < N; i++) {
      const r = await once(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query AuthConfig { authConfig { passwordSignIn } }' }),
      });
      expect(r.status).toBe(200);
    }
    const scrapes = [];
    for (let i = 0; i < 6; i++) scrapes.push(await scrapeToken());
    for (let i = 0; i < 2; i++) scrapes.push(await scrapePort());
    expect(scrapes.map((s) => s.status)).toEqual(Array(8).fill(200));
    const graphql = 'roster_http_requests_total{method="POST",route="/graphql",status="200"}';
    expect(scrapes.map((s) => value(s.text, graphql))).toEqual(Array(8).fill(N));
  });
});
