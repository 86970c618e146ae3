import { ssoErrorKey } from './sso-error';

describe('ssoErrorKey', () => {
  it('translates the codes the SSO callback sends', () => {
    expect(ssoErrorKey('SSO_NOT_INVITED')).toBe('errors.SSO_NOT_INVITED');
    expect(ssoErrorKey('INVITATION_EXPIRED')).toBe('errors.INVITATION_EXPIRED');
  });

  it('reads anything else as a generic SSO failure', () => {
    expect(ssoErrorKey(undefined)).toBe('errors.SSO_FAILED');
    expect(ssoErrorKey('<script>')).toBe('errors.SSO_FAILED');
    expect(ssoErrorKey('FORBIDDEN')).toBe('errors.SSO_FAILED');
  });
});
