import { ssoChallengeFrom, ssoReturnToFrom } from './sso-challenge';

describe('ssoChallengeFrom', () => {
  const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz_-0123456789';
  it('reads the challenge the server put in the fragment', () => {
    expect(ssoChallengeFrom(`#challenge=${token}&expires=2999-01-01T00:00:00.000Z`)).toBe(token);
    expect(ssoChallengeFrom(`challenge=${token}`)).toBe(token);
  });
  it('ignores anything else: nothing, junk, an expired challenge', () => {
    expect(ssoChallengeFrom('')).toBeNull();
    expect(ssoChallengeFrom('#challenge=short')).toBeNull();
    expect(ssoChallengeFrom(`#challenge=${token}<script>`)).toBeNull();
    expect(ssoChallengeFrom(`#challenge=${token}&expires=2000-01-01T00:00:00.000Z`)).toBeNull();
  });

  it('reads the returnTo the single sign-on began with', () => {
    expect(ssoReturnToFrom('#challenge=x&returnTo=%2Foidc%2Finteraction%2FAb')).toBe('/oidc/interaction/Ab');
    expect(ssoReturnToFrom('#challenge=x')).toBeNull();
    expect(ssoReturnToFrom('#challenge=x&returnTo=')).toBeNull();
  });
});
