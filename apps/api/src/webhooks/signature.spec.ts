import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { sign, webhookId } from './signature';

/** A secret as createWebhookEndpoint makes one (webhook-endpoints.service.ts imports Nest: not in a unit spec). */
const newWebhookSecretText = () => `whsec_${randomBytes(32).toString('base64')}`;

/** What receivers run: the `standardwebhooks` library's own verification, on the raw body. */
function verifies(secret: string, headers: Record<string, string>, body: string): boolean {
  try {
    new Webhook(secret).verify(body, headers);
    return true;
  } catch {
    return false;
  }
}

describe('webhook signature (Standard Webhooks)', () => {
  const id = webhookId('3f9c2b1e-8a7d-4c60-b5e1-f2a3d4c5b6a7');
  const body = JSON.stringify({ type: 'team.created', timestamp: '2026-12-06T14:48:31.123Z', data: { id: '1', name: 'é ✓ \u2028' } });
  const now = () => Math.floor(Date.now() / 1000);
  const headers = (timestamp: number, signature: string) => ({
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signature,
  });

  it('writes the webhook-id from the delivery id', () => {
    expect(id).toBe('msg_3f9c2b1e8a7d4c60b5e1f2a3d4c5b6a7');
  });

  it("verifies with the library, and equals the library's own signature", () => {
    const secret = newWebhookSecretText();
    const t = now();
    const signature = sign([secret], id, t, body);
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(verifies(secret, headers(t, signature), body)).toBe(true);
    expect(signature).toBe(new Webhook(secret).sign(id, new Date(t * 1000), body));
  });

  it('carries two signatures after a rotation, each verifying with its secret', () => {
    const [current, previous, other] = [newWebhookSecretText(), newWebhookSecretText(), newWebhookSecretText()];
    const t = now();
    const signature = sign([current, previous], id, t, body);
    expect(signature.split(' ')).toHaveLength(2);
    expect(signature.split(' ')[0]).toBe(sign([current], id, t, body));
    expect(verifies(current, headers(t, signature), body)).toBe(true);
    expect(verifies(previous, headers(t, signature), body)).toBe(true);
    expect(verifies(other, headers(t, signature), body)).toBe(false);
  });

  it('reads the headers in any case', () => {
    const secret = newWebhookSecretText();
    const t = now();
    const upper = Object.fromEntries(Object.entries(headers(t, sign([secret], id, t, body))).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verifies(secret, upper, body)).toBe(true);
  });

  it('fails on a re-serialised or tampered body, another id, and a timestamp more than 5 minutes old', () => {
    const secret = newWebhookSecretText();
    const t = now();
    const signature = sign([secret], id, t, body);
    expect(verifies(secret, headers(t, signature), JSON.stringify(JSON.parse(body), null, 1))).toBe(false);
    expect(verifies(secret, headers(t, signature), body.replace('team.created', 'team.deleted'))).toBe(false);
    expect(verifies(secret, { ...headers(t, signature), 'webhook-id': 'msg_other' }, body)).toBe(false);
    const old = t - 301;
    expect(verifies(secret, headers(old, sign([secret], id, old, body)), body)).toBe(false);
    const recent = t - 200;
    expect(verifies(secret, headers(recent, sign([secret], id, recent, body)), body)).toBe(true);
  });

  it('needs the secret in standard base64: base64url is refused by the library', () => {
    const bytes = randomBytes(32);
    // Bytes whose base64 has + or /, so that base64url differs.
    const withSymbols = Buffer.concat([Buffer.from([0xfb, 0xff, 0xfe]), bytes.subarray(3)]);
    expect(() => new Webhook(`whsec_${withSymbols.toString('base64url')}`)).toThrow();
    expect(() => new Webhook(`whsec_${withSymbols.toString('base64')}`)).not.toThrow();
  });
});
