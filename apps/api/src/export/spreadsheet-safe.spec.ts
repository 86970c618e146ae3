import fc from 'fast-check';
import { spreadsheetSafe } from './spreadsheet-safe';

describe('spreadsheetSafe', () => {
  it.each([
    '=HYPERLINK("http://x")',
    '+1',
    '-2+3',
    '@SUM(A1)',
    '\tx',
    '\rx',
    '\n=1',
    '  =1+1',
    '\u00a0@A1',
    '\u200b=1',
    '＝HYPERLINK("x")',
    '＋1',
    ' －1',
    '＠SUM(A1)',
  ])('neutralises %j', (v) => {
    expect(spreadsheetSafe(v)).toBe(`'${v}`);
  });

  it('leaves ordinary values alone', () => {
    expect(spreadsheetSafe('Ada')).toBe('Ada');
    expect(spreadsheetSafe('a=b')).toBe('a=b');
    expect(spreadsheetSafe(' Ada ')).toBe(' Ada ');
    expect(spreadsheetSafe('')).toBe('');
  });

  it('never lets a value through whose first visible character reads as a formula', () => {
    const lead = fc.constantFrom(' ', '\u00a0', '\u3000', '\u200b', '\u2028', '\t', '\n', '\r', '');
    const sign = fc.constantFrom('=', '+', '-', '@', '＝', '＋', '－', '＠', '﹦', '﹢', '﹣', '﹫');
    fc.assert(
      fc.property(fc.array(lead, { maxLength: 5 }), sign, fc.string({ maxLength: 20 }), (blanks, s, rest) => {
        expect(spreadsheetSafe(`${blanks.join('')}${s}${rest}`).startsWith("'")).toBe(true);
      }),
    );
  });
});
