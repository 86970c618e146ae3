import speakeasy from 'speakeasy';

/**
 * TOTP (RFC 6238) on top of speakeasy, with the parameters explicit so the RFC's own test
 * vectors (SHA-1, 8 digits, its times) run through this very code. Roster uses 30 s steps,
 * 6 digits, SHA-1 (what authenticator apps expect) and tolerates one step of clock drift.
 */
export interface TotpOptions {
  secret: string;
  encoding?: 'base32' | 'ascii' | 'hex';
  digits?: number;
  algorithm?: 'sha1' | 'sha256' | 'sha512';
  step?: number;
  /** Seconds since the epoch; now by default. */
  time?: number;
  window?: number;
}

export const TOTP_STEP_SECONDS = 30;

export function totpCode(o: TotpOptions): string {
  return speakeasy.totp({
    secret: o.secret,
    encoding: o.encoding ?? 'base32',
    digits: o.digits ?? 6,
    algorithm: o.algorithm ?? 'sha1',
    step: o.step ?? TOTP_STEP_SECONDS,
    time: o.time,
  });
}

/** The time step (counter) the token matches, within ±window steps, or null. */
export function matchingStep(token: string, o: TotpOptions): number | null {
  const digits = o.digits ?? 6;
  if (!new RegExp(`^\\d{${digits}}$`).test(token)) return null;
  const step = o.step ?? TOTP_STEP_SECONDS;
  const time = o.time ?? Date.now() / 1000;
  const result = speakeasy.totp.verifyDelta({
    secret: o.secret,
    encoding: o.encoding ?? 'base32',
    token,
    digits,
    algorithm: o.algorithm ?? 'sha1',
    step,
    time,
    window: o.window ?? 1,
  });
  return result ? Math.floor(time / step) + result.delta : null;
}

export function newTotpSecret(): string {
  return speakeasy.generateSecret({ length: 20 }).base32;
}

export function otpauthUri(secret: string, account: string, issuer: string): string {
  return speakeasy.otpauthURL({ secret, label: `${issuer}:${account}`, issuer, encoding: 'base32' });
}
