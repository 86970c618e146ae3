import { isEmail } from 'class-validator';

/**
 * Control characters (CR, LF, TAB, ESC…) and Unicode line and paragraph separators: a quoted local
 * part may hold them by the letter of RFC 5321, but no person types them, and in an identity they
 * only serve to forge log lines or mail headers.
 */
export const EMAIL_CONTROL_CHARACTERS = /[\p{Cc}\p{Zl}\p{Zp}]/u;

/**
 * The rules of `EmailAddress` (validators.ts), for an email that does not come through a GraphQL input
 * (single sign-on, SCIM). Free of the framework, so pure code and its unit specs use it.
 */
export function isUsableEmail(email: string): boolean {
  return email.length <= 254 && !EMAIL_CONTROL_CHARACTERS.test(email) && isEmail(email, { allow_display_name: false, require_tld: true });
}
