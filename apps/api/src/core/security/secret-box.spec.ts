import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  it('round-trips, never stores the plain text, and detects tampering', () => {
    const box = SecretBox.forTests();
    const sealed = box.seal('JBSWY3DPEHPK3PXP');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.seal('JBSWY3DPEHPK3PXP')).not.toBe(sealed); // random IV
    expect(box.open(sealed)).toBe('JBSWY3DPEHPK3PXP');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => box.open(`v1:${raw.toString('base64')}`)).toThrow();
    expect(() => SecretBox.forTests().open(sealed)).toThrow();
  });
});
