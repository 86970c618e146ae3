import { consoleReturnPath, serverReturnUrl } from './return-to';

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
});
