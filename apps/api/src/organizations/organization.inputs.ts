import { applyDecorators } from '@nestjs/common';
import { Field, ID, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsString, IsUUID, Matches, MaxLength, MinLength, ValidateBy } from 'class-validator';
import { normaliseSlug, SLUG_MAX, slugProblem } from '@roster/contracts/organizations';
import { EmailAddress } from '../core/graphql/validators';
import { hasUnsafeText } from '../core/graphql/safe-text';

/** An organization's name, as people read it: at most this many characters (after trimming). */
export const ORGANIZATION_NAME_MAX = 100;

const trim = Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** An organization's name: trimmed, 1–100 characters of text, no control characters. */
export const OrganizationName = () =>
  applyDecorators(
    trim,
    IsString(),
    MinLength(1),
    MaxLength(ORGANIZATION_NAME_MAX),
    Matches(/^[^\p{Cc}\p{Zl}\p{Zp}]*$/u, { message: 'noControlCharacters' }),
    ValidateBy({ name: 'safeText', validator: { validate: (v: unknown) => typeof v === 'string' && !hasUnsafeText(v) } }),
  );

/**
 * A slug as typed: trimmed and lower-cased, then held to the shared rule (@roster/contracts/organizations:
 * shape, length, reserved words). The failed rule is named: EMPTY, TOO_LONG, SHAPE or RESERVED.
 */
export const OrganizationSlug = () =>
  applyDecorators(
    Transform(({ value }) => (typeof value === 'string' && value.length <= 200 ? normaliseSlug(value) : value)),
    IsString(),
    MaxLength(SLUG_MAX),
    ValidateBy({
      name: 'slug',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && slugProblem(v) === null,
        defaultMessage: (args) => (typeof args?.value === 'string' ? (slugProblem(args.value) ?? 'SHAPE') : 'SHAPE'),
      },
    }),
  );

@InputType({ description: 'A new organization and the email of its first admin.' })
export class CreateOrganizationInput {
  @Field({ description: 'Its name, 1 to 100 characters.' })
  @OrganizationName()
  name: string;

  @Field({
    description: `Its name in URLs and in the X-Roster-Organization header: 1 to ${SLUG_MAX} of a-z, 0-9 and -, neither first nor last (typed in any case), not a reserved word; unique (SLUG_TAKEN).`,
  })
  @OrganizationSlug()
  slug: string;

  @Field({ description: 'Who is invited as its first admin (Admin role).' })
  @EmailAddress()
  firstAdminEmail: string;
}

@InputType({ description: "An organization's new name." })
export class UpdateOrganizationInput {
  @Field(() => ID, { description: 'The organization.' })
  @IsUUID()
  id: string;

  @Field({ description: 'Its name, 1 to 100 characters.' })
  @OrganizationName()
  name: string;
}

@InputType({ description: 'The organization to delete, with its slug typed as confirmation.' })
export class DeleteOrganizationInput {
  @Field(() => ID, { description: 'The organization.' })
  @IsUUID()
  id: string;

  @Field({ description: 'Its slug, in any case (CONFIRMATION_MISMATCH otherwise).' })
  @IsString()
  @MaxLength(200)
  confirmation: string;
}
