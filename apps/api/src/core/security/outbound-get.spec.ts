import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getJson } from './outbound-get';

describe('getJson: a JSON document from an address an organization configured', () => {
  let server: Server;
  let base: string;
  let reached: string[];

  beforeAll(async () => {
    server = createServer((req, res) => {
      reached.push(req.url ?? '');
      if (req.url === '/doc') return res.end('{"issuer":"x"}');
      if (req.url === '/text') return res.end('not json');
      if (req.url === '/big') return res.end('"' + 'a'.repeat(5000) + '"');
      if (req.url === '/moved') {
        res.writeHead(302, { location: '/doc' });
        return res.end();
      }
      if (req.url === '/slow') return; // never answers
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => (reached = []));
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const on = { allowPrivateTargets: true, timeoutMs: 2000, maxBytes: 1000 };

  it('refuses plain http and private addresses without the switch, before any connection, as unreachable', async () => {
    for (const url of [
      `${base}/doc`,
      'https://127.0.0.1/doc',
      'https://169.254.169.254/latest',
      'https://[::1]/',
      'https://a.localhost/',
      'not a url',
    ]) {
      expect({ url, answer: await getJson(url, { ...on, allowPrivateTargets: false }) }).toEqual({
        url,
        answer: { ok: false, kind: 'unreachable' },
      });
    }
    expect(reached).toEqual([]);
  });

  it('with the switch: the document, or why not (status, not JSON, too large, a redirect not followed, timeout)', async () => {
    expect(await getJson(`${base}/doc`, on)).toEqual({ ok: true, body: { issuer: 'x' } });
    expect(await getJson(`${base}/missing`, on)).toEqual({ ok: false, kind: 'status', status: 404 });
    expect(await getJson(`${base}/text`, on)).toEqual({ ok: false, kind: 'not-json' });
    expect(await getJson(`${base}/big`, on)).toEqual({ ok: false, kind: 'too-large' });
    expect(await getJson(`${base}/moved`, on)).toEqual({ ok: false, kind: 'status', status: 302 });
    expect(await getJson(`${base}/slow`, { ...on, timeoutMs: 200 })).toEqual({ ok: false, kind: 'timeout' });
    expect(reached).toEqual(['/doc', '/missing', '/text', '/big', '/moved', '/slow']);
  });
});
