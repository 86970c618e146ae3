import { OutboundRefused } from '../core/security/outbound';
import { attempt, failureOf, responseText, WebhookAgents } from './webhook-attempt';

describe('webhook attempt', () => {
  it('keeps 4,096 bytes of an answer as text: UTF-8 with replacement, NUL removed', () => {
    const bytes = Buffer.concat([Buffer.from('ok\u0000'), Buffer.from([0xff, 0xfe]), Buffer.alloc(10_000, 'x')]);
    expect(responseText(bytes)).toBe(`ok\uFFFD\uFFFD${'x'.repeat(4091)}`);
    // A character cut at the limit becomes a replacement character, not an error.
    const cut = Buffer.concat([Buffer.alloc(4095, 'a'), Buffer.from('é')]);
    expect(responseText(cut)).toBe(`${'a'.repeat(4095)}\uFFFD`);
    expect(responseText(Buffer.from(''))).toBe('');
  });

  it('says why no answer came, never naming an address', () => {
    const err = (code: string, message = code) => Object.assign(new Error(message), { code });
    expect(failureOf(new OutboundRefused('hooks.example', 'resolves to 10.0.0.1'), false)).toMatchObject({
      outcome: 'refused',
      error: 'no public address',
    });
    expect(failureOf(err('ENOTFOUND', 'getaddrinfo ENOTFOUND internal.corp'), false)).toMatchObject({
      outcome: 'network',
      error: 'no public address',
    });
    expect(failureOf(err('ECONNREFUSED', 'connect ECONNREFUSED 10.1.2.3:443'), false)).toEqual({
      outcome: 'network',
      error: 'connection refused',
      detail: 'ECONNREFUSED: connect ECONNREFUSED 10.1.2.3:443',
    });
    expect(failureOf(err('ABORT_ERR', 'The operation was aborted'), true)).toMatchObject({ outcome: 'timeout', error: 'timeout' });
    expect(failureOf(err('CERT_HAS_EXPIRED', 'certificate has expired'), false)).toMatchObject({
      outcome: 'network',
      error: 'TLS: certificate has expired',
    });
    expect(failureOf(err('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"), false).error).toMatch(
      /^TLS: /,
    );
    expect(failureOf(err('ECONNRESET'), false)).toMatchObject({ outcome: 'network', error: 'connection reset' });
    expect(failureOf(err('EWHATEVER'), false)).toMatchObject({ outcome: 'network', error: 'connection failed' });
  });

  it('refuses before connecting: a private literal, plain http without the switch, a name under localhost', async () => {
    const agents = new WebhookAgents(false);
    try {
      for (const [url, error] of [
        ['https://127.0.0.1:9/h', 'no public address'],
        ['https://[::ffff:7f00:1]/h', 'no public address'],
        ['https://hooks.localhost/h', 'no public address'],
        ['http://1.1.1.1/h', 'https required'],
      ]) {
        const r = await attempt({ url, headers: {}, body: '{}' }, agents);
        expect({ url, outcome: r.outcome, error: r.error, status: r.status }).toEqual({ url, outcome: 'refused', error, status: null });
      }
    } finally {
      agents.destroy();
    }
  });
});
