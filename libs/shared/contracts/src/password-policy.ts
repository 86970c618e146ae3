/** Password rules shared by the API (authoritative) and the console (instant feedback). */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

export type PasswordProblem = 'TOO_SHORT' | 'TOO_LONG' | 'TOO_SIMPLE' | 'CONTAINS_EMAIL';

const COMMON = new Set([
  'password',
  'password1',
  'password123',
  '1234567890',
  '12345678910',
  'qwertyuiop',
  'azertyuiop',
  'letmein123',
  'iloveyou12',
  'welcome123',
  'admin12345',
  'changeme123',
  'motdepasse',
  'motdepasse1',
]);

/** Returns the first problem found, or null when the password is acceptable. */
export function passwordProblem(password: string, email?: string | null): PasswordProblem | null {
  if (password.length < PASSWORD_MIN_LENGTH) return 'TOO_SHORT';
  if (password.length > PASSWORD_MAX_LENGTH) return 'TOO_LONG';
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || new Set(lower).size < 4) return 'TOO_SIMPLE';
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'CONTAINS_EMAIL';
  return null;
}
