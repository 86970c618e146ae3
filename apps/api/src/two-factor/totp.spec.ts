import { createHmac } from 'node:crypto';
import { matchingStep, newTotpSecret, otpauthUri, totpCode } from './totp';

/** RFC 6238 appendix B: seed "12345678901234567890" (SHA-1), 8 digits, 30 s steps. */
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

/** An independent TOTP (RFC 4226 dynamic truncation with node:crypto), not speakeasy. */
function independentTotp(base32Secret: string, time: number, digits = 6): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32Secret.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(time / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const bin = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(bin).padStart(digits, '0');
}

describe('TOTP', () => {
  it.each(RFC_VECTORS)('matches the RFC 6238 vector at T=%i', (time, code) => {
    const o = { secret: '12345678901234567890', encoding: 'ascii' as const, digits: 8, algorithm: 'sha1' as const, time, window: 0 };
    expect(totpCode(o)).toBe(code);
    expect(matchingStep(code, o)).toBe(Math.floor(time / 30));
  });

  it('accepts codes from an independent implementation, with ±1 step of drift and no more', () => {
    const secret = newTotpSecret();
    const now = 1_800_000_015;
    expect(matchingStep(independentTotp(secret, now), { secret, time: now })).toBe(Math.floor(now / 30));
    expect(matchingStep(independentTotp(secret, now - 30), { secret, time: now })).toBe(Math.floor(now / 30) - 1);
    expect(matchingStep(independentTotp(secret, now + 30), { secret, time: now })).toBe(Math.floor(now / 30) + 1);
    expect(matchingStep(independentTotp(secret, now - 90), { secret, time: now })).toBeNull();
    expect(matchingStep('12345', { secret, time: now })).toBeNull();
    expect(matchingStep('abcdef', { secret, time: now })).toBeNull();
  });

  it('builds an otpauth URI with the issuer', () => {
    expect(otpauthUri('JBSWY3DPEHPK3PXP', 'ada@example.com', 'Roster')).toBe(
      'otpauth://totp/Roster:ada@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Roster',
    );
  });
});
