import { createHmac } from 'node:crypto';

/** A Standard Webhooks secret: `whsec_` and the key's bytes in standard base64. */
const PREFIX = 'whsec_';

/** The key's bytes of a `whsec_…` secret. */
export function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
}

/** The webhook-id of a delivery: `msg_` and its uuid without dashes, the same on every attempt and redelivery. */
export function webhookId(deliveryId: string): string {
  return `msg_${deliveryId.replace(/-/g, '')}`;
}

/**
 * The `webhook-signature` header of one attempt (Standard Webhooks): `v1,` and the base64 HMAC-SHA256, under
 * each secret's bytes, of `${id}.${timestamp}.${body}` — the current secret first, then a previous one still
 * valid after a rotation (`v1,<new> v1,<old>`), so that receivers verify with either.
 */
export function sign(secrets: readonly string[], id: string, timestamp: number, body: string): string {
  const signed = `${id}.${timestamp}.${body}`;
  return secrets.map((secret) => `v1,${createHmac('sha256', secretKey(secret)).update(signed, 'utf8').digest('base64')}`).join(' ');
}
