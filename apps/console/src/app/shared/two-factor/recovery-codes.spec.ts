import { normalizeCode, recoveryCodesText } from './recovery-codes';

describe('recovery codes', () => {
  it('writes a heading, the owner and date, then one code a line', () => {
    const text = recoveryCodesText(['AAAAA-BBBBB', 'CCCCC-DDDDD'], 'ada@example.com', 'Recovery codes', new Date('2030-01-02T10:00:00Z'));
    expect(text).toBe('Recovery codes\nada@example.com — 2030-01-02\n\nAAAAA-BBBBB\nCCCCC-DDDDD\n');
  });

  it('drops the spaces people type or paste', () => {
    expect(normalizeCode(' 123 456 ')).toBe('123456');
    expect(normalizeCode('abcde-fghij')).toBe('abcde-fghij');
  });
});
