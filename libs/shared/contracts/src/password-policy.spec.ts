import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it.each([
    ['short1', 'TOO_SHORT'],
    ['password123', 'TOO_SIMPLE'],
    ['aaaaaaaaaaaa', 'TOO_SIMPLE'],
    ['x'.repeat(300), 'TOO_LONG'],
  ])('refuses %s as %s', (pw, problem) => {
    expect(passwordProblem(pw)).toBe(problem);
  });

  it('refuses a password built on the email', () => {
    expect(passwordProblem('marie.curie-2024!', 'marie.curie@example.com')).toBe('CONTAINS_EMAIL');
  });

  it('accepts a decent passphrase', () => {
    expect(passwordProblem('correct horse battery staple')).toBeNull();
  });
});
