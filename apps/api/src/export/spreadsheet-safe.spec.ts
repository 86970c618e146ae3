import { spreadsheetSafe } from './spreadsheet-safe';

describe('spreadsheetSafe', () => {
  it.each(['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx'])('neutralises %j', (v) => {
    expect(spreadsheetSafe(v)).toBe(`'${v}`);
  });

  it('leaves ordinary values alone', () => {
    expect(spreadsheetSafe('Ada')).toBe('Ada');
    expect(spreadsheetSafe('a=b')).toBe('a=b');
    expect(spreadsheetSafe('')).toBe('');
  });
});
