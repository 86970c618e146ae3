import { createHash, createPublicKey, randomBytes, verify as verifySignature } from 'node:crypto';
import type { Json } from './client';

/** Checks a JWT's RS256 signature against the JWKS; returns its header and claims. */
export function verifyJwt(jwt: string, jwks: { keys: Json[] }): { header: Json; claims: Json } {
  const [h, p, s] = jwt.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new Error(`no key ${header.kid} in the JWKS`);
  expect(header.alg).toBe('RS256');
  const ok = verifySignature(
    'RSA-SHA256',
    Buffer.from(`${h}.${p}`),
    createPublicKey({ key: jwk, format: 'jwk' }),
    Buffer.from(s, 'base64url'),
  );
  if (!ok) throw new Error('bad signature');
  return { header, claims: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) };
}

/** A PKCE verifier and its S256 challenge. */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
