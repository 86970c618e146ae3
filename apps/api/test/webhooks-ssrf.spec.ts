import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startApp, TestApp } from './support/app';

const CREATE = `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { endpoint { id } } }`;
const METRICS_TOKEN = 'webhooks-ssrf-metrics-token';

/**
 * Addresses at delivery time, the switch off (ALLOW_PRIVATE_TARGETS=false): the server runs with the
 * `fake-dns.cjs` preload, which answers names under `.roster-test` from a file this suite rewrites. A name
 * public when the endpoint is saved and loopback when it is delivered to (DNS rebinding) is refused at
 * the connection: the loopback listener sees no connection, the log says `no public address`, the metric
 * counts a refusal. Names resolving to private addresses, or to nothing, are refused at creation alike.
 */
describe('webhook addresses at delivery (SSRF)', () => {
  let app: TestApp;
  let dir: string;
  let dnsFile: string;
  let listener: Server;
  let port: number;
  let connections = 0;

  const answer = (table: Record<string, string[]>) => writeFileSync(dnsFile, JSON.stringify(table));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-fake-dns-'));
    dnsFile = join(dir, 'dns.json');
    answer({});
    // Whatever would reach loopback: a bare TCP listener counting connections (TLS or not).
    listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((ok) => listener.listen(0, '127.0.0.1', ok));
    port = (listener.address() as AddressInfo).port;
    app = await startApp('webhooks-ssrf', {
      ALLOW_PRIVATE_TARGETS: 'false',
      WEBHOOK_RETRY_BASE_MS: '100',
      METRICS_TOKEN,
      ROSTER_FAKE_DNS: dnsFile,
      NODE_OPTIONS: `--require ${resolve(__dirname, 'support/fake-dns.cjs')}`,
    });
  });
  afterAll(async () => {
    await app?.close();
    await new Promise<void>((ok) => (listener ? listener.close(() => ok()) : ok()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => app.sql(`DELETE FROM webhook_endpoints`));

  async function refusedAttempts(): Promise<number> {
    const res = await fetch(`${app.server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const text = await res.text();
    return Number(/^roster_webhook_attempts_total\{outcome="refused"\} (\S+)$/m.exec(text)?.[1] ?? 0);
  }

  it('refuses at creation names resolving to loopback, to a private address among public ones, or to nothing; accepts public ones', async () => {
    answer({
      'loop.roster-test': ['127.0.0.1'],
      'loop6.roster-test': ['::1'],
      'mixed.roster-test': ['1.1.1.1', '10.0.0.1'],
      'public.roster-test': ['1.1.1.1', '2606:4700:4700::1111'],
    });
    for (const host of ['loop.roster-test', 'loop6.roster-test', 'mixed.roster-test', 'nowhere.roster-test']) {
      const r = await app.admin.gql(CREATE, { i: { url: `https://${host}/hooks`, eventTypes: ['team.created'] } });
      expect({ host, code: r.errors?.[0]?.extensions?.code, reason: r.errors?.[0]?.extensions?.reason }).toEqual({
        host,
        code: 'WEBHOOK_URL_REFUSED',
        reason: 'ADDRESS',
      });
    }
    expect(await app.sql(`SELECT id FROM webhook_endpoints`)).toEqual([]);
    expect(
      (await app.admin.gql(CREATE, { i: { url: 'https://public.roster-test/hooks', eventTypes: ['team.created'] } })).errors,
    ).toBeUndefined();
  });

  it('refuses a name that was public when saved and is loopback when delivered to (rebinding): nothing reaches loopback', async () => {
    answer({ 'rebind.roster-test': ['1.1.1.1'] });
    const { id } = (await app.admin.ok(CREATE, { i: { url: `https://rebind.roster-test:${port}/hooks`, eventTypes: ['team.created'] } }))
      .createWebhookEndpoint.endpoint;
    const before = await refusedAttempts();
    answer({ 'rebind.roster-test': ['127.0.0.1'] });
    await app.admin.ok(`mutation { createTeam(input: { name: "Rebound" }) { id } }`);
    const deadline = Date.now() + 10_000;
    let row: { status: string; attempts: number; response_status: number | null; last_error: string | null } | undefined;
    while (Date.now() < deadline) {
      [row] = await app.sql(`SELECT status, attempts, response_status, last_error FROM webhook_deliveries WHERE endpoint_id = $1`, [id]);
      if (row && row.attempts >= 2 && row.status === 'RETRYING') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(row).toMatchObject({ status: 'RETRYING', response_status: null, last_error: 'no public address' });
    expect(connections).toBe(0);
    expect(await refusedAttempts()).toBeGreaterThanOrEqual(before + 2);
    // The endpoint's address rule names no address to its admins.
    expect(JSON.stringify(await app.sql(`SELECT last_error FROM webhook_deliveries`))).not.toContain('127.0.0.1');
  });

  it('refuses at delivery a loopback literal saved before the switch was turned off', async () => {
    const { id } = (await app.admin.ok(CREATE, { i: { url: 'https://1.1.1.1/later', eventTypes: ['team.created'] } })).createWebhookEndpoint
      .endpoint;
    // As if saved under ALLOW_PRIVATE_TARGETS=true.
    await app.sql(`UPDATE webhook_endpoints SET url = $2 WHERE id = $1`, [id, `https://127.0.0.1:${port}/hooks`]);
    await app.admin.ok(`mutation { createTeam(input: { name: "Literal" }) { id } }`);
    const deadline = Date.now() + 10_000;
    let row: { last_error: string | null } | undefined;
    while (Date.now() < deadline && !row?.last_error) {
      [row] = await app.sql(`SELECT last_error FROM webhook_deliveries WHERE endpoint_id = $1`, [id]);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(row?.last_error).toBe('no public address');
    expect(connections).toBe(0);
  });
});
