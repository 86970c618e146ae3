import { startApp, STRONG_PASSWORD, TestApp } from './support/app';

/**
 * Which address a request comes from (rate limits per address, the sessions list): X-Forwarded-For
 * is believed only as far as TRUST_PROXY says, so a client cannot pick its own address.
 */
describe('client addresses and TRUST_PROXY', () => {
  const signInFrom = async (app: TestApp, forwardedFor: string) => {
    const res = await fetch(`${app.server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({
        query: `mutation { signIn(input: { email: "admin@example.com", password: "${STRONG_PASSWORD}" }) { me { user { id } } } }`,
      }),
    });
    expect((await res.json()).data.signIn.me.user.id).toBeTruthy();
    const rows = await app.sql<{ ip: string }>(`SELECT ip FROM sessions ORDER BY created_at DESC LIMIT 1`);
    return rows[0].ip;
  };

  it('ignores X-Forwarded-For by default', async () => {
    const app = await startApp('addr-default');
    try {
      expect(await signInFrom(app, '203.0.113.9')).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
      // The log says once that forwarded requests arrive while no proxy is trusted.
      await new Promise((r) => setTimeout(r, 100));
      expect(app.server.output()).toContain('TRUST_PROXY is not set');
    } finally {
      await app.close();
    }
  });

  it('with TRUST_PROXY=1 takes the address the one proxy saw, not what the client wrote before it', async () => {
    const app = await startApp('addr-one-hop', { TRUST_PROXY: '1' });
    try {
      expect(await signInFrom(app, '6.6.6.6, 198.51.100.7')).toBe('198.51.100.7');
      expect(await signInFrom(app, '198.51.100.8')).toBe('198.51.100.8');
    } finally {
      await app.close();
    }
  });
});
