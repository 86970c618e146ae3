import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

export { EMAIL_CONTROL_CHARACTERS, isUsableEmail } from './usable-email';

const trim = Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** A person's name: trimmed, 1–100 characters, no control characters. */
export const PersonName = () =>
  applyDecorators(trim, IsString(), MinLength(1), MaxLength(100), Matches(/^[^\p{Cc}]*$/u, { message: 'noControlCharacters' }));

/** An email: trimmed, lower-cased, valid, at most 254 characters, no control characters. */
export const EmailAddress = () =>
  applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value)),
    IsString(),
    MaxLength(254),
    Matches(/^[^\p{Cc}\p{Zl}\p{Zp}]*$/u, { message: 'noControlCharacters' }),
    IsEmail({ allow_display_name: false, require_tld: true }),
  );

/** A team name: trimmed, 1–80 characters, no control characters. */
export const TeamName = () =>
  applyDecorators(trim, IsString(), MinLength(1), MaxLength(80), Matches(/^[^\p{Cc}]*$/u, { message: 'noControlCharacters' }));

/** A role name: trimmed, 1–50 characters, no control characters. */
export const RoleName = () =>
  applyDecorators(trim, IsString(), MinLength(1), MaxLength(50), Matches(/^[^\p{Cc}]*$/u, { message: 'noControlCharacters' }));

/** A secret typed by a person: a string up to 256 characters (policy is checked elsewhere). */
export const Secret = () => applyDecorators(IsString(), MaxLength(256));

export const Token = () => applyDecorators(IsString(), MinLength(20), MaxLength(100));

/**
 * May be left out, but not set to null: for fields whose column has no "nothing" (names, role,
 * language). An explicit null then fails the field's own rules (BAD_USER_INPUT) instead of reaching SQL.
 */
export const OmittableNotNull = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
