import { safeReturnUrl } from './return-url';

describe('safeReturnUrl', () => {
  it('follows same-site paths only', () => {
    expect(safeReturnUrl('/teams')).toBe('/teams');
    expect(safeReturnUrl(undefined)).toBe('/users');
    expect(safeReturnUrl('https://evil.example')).toBe('/users');
    expect(safeReturnUrl('//evil.example')).toBe('/users');
    expect(safeReturnUrl('/sign-in?returnUrl=/x')).toBe('/users');
    expect(safeReturnUrl('/two-factor-setup?returnUrl=/teams')).toBe('/users');
  });
});
