import { consoleReturnPath, serverReturnUrl, ssoUrlWithReturnTo } from './return-to';

describe('returnTo on the sign-in page', () => {
  it('follows a path on the console in the console', () => {
    expect(consoleReturnPath('/users?role=ADMIN')).toBe('/users?role=ADMIN');
    expect(consoleReturnPath('/o/beta/teams#x')).toBe('/o/beta/teams#x');
  });

  it('sends everything else through the server, encoded whole', () => {
    for (const value of [
      'https://app.example.com/x',
      '//evil.example',
      '/\\evil.example',
      '/\tevil',
      ' /users',
      'javascript:alert(1)',
      '/\u00a0x',
      '/oidc/interaction/AbCdEf0123456789',
      '/auth/sign-out',
    ])
      expect(consoleReturnPath(value)).toBeNull();
    expect(serverReturnUrl('https://app.example.com/a?b=1&c=2#d')).toBe(
      '/auth/return?returnTo=https%3A%2F%2Fapp.example.com%2Fa%3Fb%3D1%26c%3D2%23d',
    );
  });

  it('carries returnTo through a single sign-on link, encoded whole', () => {
    expect(ssoUrlWithReturnTo('https://roster.example/auth/sso', '/oidc/interaction/Ab?x=1')).toBe(
      'https://roster.example/auth/sso?returnTo=%2Foidc%2Finteraction%2FAb%3Fx%3D1',
    );
    expect(ssoUrlWithReturnTo('/auth/sso?organization=acme', 'https://app.example.com/a#b')).toBe(
      '/auth/sso?organization=acme&returnTo=https%3A%2F%2Fapp.example.com%2Fa%23b',
    );
    expect(ssoUrlWithReturnTo('/auth/sso', undefined)).toBe('/auth/sso');
    expect(ssoUrlWithReturnTo('/auth/sso', '')).toBe('/auth/sso');
  });
});
