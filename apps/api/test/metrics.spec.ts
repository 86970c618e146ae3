import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Client as Pg } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../tools/testing/database';
import { freePort, ROOT, startServer, TestServer } from '../../../tools/testing/server';

/**
 * Prometheus metrics of a server running several processes (WEB_CONCURRENCY=2): every scrape, on the
 * main port with METRICS_TOKEN or on METRICS_PORT, whichever process takes it, counts what both
 * processes did; and the gauges an operator alerts on (build, pool size, change feed, email outbox)
 * are there with the values the test set up.
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
    // Both processes' pools, added up.
    expect(scrapes.map((s) => value(s.text, 'roster_db_pool_max'))).toEqual(Array(8).fill(2 * POOL_SIZE));
  });

  it('say which build runs, once however many processes run it', async () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const { text } = await scrapeToken();
    expect(text).toMatch(/^# TYPE roster_build_info gauge$/m);
    expect(text.split('\n').filter((l) => l.startsWith('roster_build_info'))).toEqual([
      `roster_build_info{version="${version}",node="${process.versions.node}"} 1`,
    ]);
  });

  it("show the change feed's state: 1 while it listens, 0 while a process's listening connection is lost, then 1 again", async () => {
    const feed = async () => value((await scrapePort()).text, 'roster_change_feed_up');
    const deadline = Date.now() + 15_000;
    while ((await feed()) !== 1) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 100));
    }
    await pg.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'roster-changes'`,
    );
    // Seen down (each process reconnects after about a second)…
    while ((await feed()) !== 0) expect(Date.now()).toBeLessThan(deadline);
    // …and back by itself.
    while ((await feed()) !== 1) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  it('count the email outbox: emails waiting and emails given up, read from the table at each scrape', async () => {
    const counts = async () => {
      const { text } = await scrapeToken();
      return [value(text, 'roster_email_outbox_emails{status="pending"}'), value(text, 'roster_email_outbox_emails{status="failed"}')];
    };
    expect(await counts()).toEqual([0, 0]);
    await pg.query(
      `INSERT INTO email_outbox (kind, recipient, language, status, next_attempt_at)
       SELECT 'invitation', 'waiting' || g || '@example.com', 'en', 'PENDING', now() + interval '1 day' FROM generate_series(1, 3) g`,
    );
    await pg.query(
      `INSERT INTO email_outbox (kind, recipient, language, status, attempts, last_error)
       SELECT 'invitation', 'bounced' || g || '@example.com', 'en', 'FAILED', 5, 'mailbox unavailable' FROM generate_series(1, 2) g`,
    );
    await pg.query(`INSERT INTO email_outbox (kind, recipient, language, status) VALUES ('invitation', 'sent@example.com', 'en', 'SENT')`);
    // The same rows for both processes: counted once, not added up.
    expect(await counts()).toEqual([3, 2]);
    expect(await counts()).toEqual([3, 2]);
  });
});
