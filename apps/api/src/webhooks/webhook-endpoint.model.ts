import { applyDecorators } from '@nestjs/common';
import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, IsUUID, MaxLength, ValidateBy, ValidateIf } from 'class-validator';
import { DateTimeScalar } from '../core/graphql/date-time';
import { hasUnsafeText } from '../core/graphql/safe-text';
import { WEBHOOK_URL_MAX } from './webhook-url';

/** Endpoints per organization. */
export const WEBHOOK_ENDPOINTS_PER_ORGANIZATION = 20;
/** The longest description. */
export const WEBHOOK_DESCRIPTION_MAX = 500;
/** The most event types one input may list (duplicates included); the catalogue itself is far shorter. */
export const WEBHOOK_EVENT_TYPES_INPUT_MAX = 1000;

export enum WebhookDisabledReason {
  MANUAL = 'MANUAL',
  GONE = 'GONE',
  FAILING = 'FAILING',
}
registerEnumType(WebhookDisabledReason, {
  name: 'WebhookDisabledReason',
  description: 'Why an endpoint is disabled.',
  valuesMap: {
    MANUAL: { description: 'An admin disabled it.' },
    GONE: { description: 'It answered 410 Gone.' },
    FAILING: { description: 'Its deliveries failed for three days.' },
  },
});

const trim = Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
/** May be left out, not set to null (the column has no "nothing"). */
const omittable = ValidateIf((_o: object, v: unknown) => v !== undefined);

const Url = () => applyDecorators(IsString(), MaxLength(WEBHOOK_URL_MAX));
const EventTypes = () =>
  applyDecorators(IsArray(), ArrayMaxSize(WEBHOOK_EVENT_TYPES_INPUT_MAX), IsString({ each: true }), MaxLength(100, { each: true }));
const Description = () =>
  applyDecorators(
    trim,
    IsString(),
    MaxLength(WEBHOOK_DESCRIPTION_MAX),
    ValidateBy({ name: 'safeText', validator: { validate: (v: unknown) => typeof v === 'string' && !hasUnsafeText(v) } }),
  );

@ObjectType('WebhookEndpoint', { description: "An address of the organization's that receives its events, signed." })
export class WebhookEndpointModel {
  @Field(() => ID, { description: "The endpoint's id." })
  id: string;

  @Field({ description: 'Where the events are POSTed.' })
  url: string;

  @Field(() => [String], { description: 'The event types (audit actions) it receives, alphabetical.' })
  eventTypes: string[];

  @Field({ description: 'Whether events are sent to it.' })
  enabled: boolean;

  @Field({ description: 'What the admins wrote about it (may be empty).' })
  description: string;

  @Field(() => WebhookDisabledReason, { nullable: true, description: 'Why it is disabled; null while enabled.' })
  disabledReason: WebhookDisabledReason | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was disabled; null while enabled.' })
  disabledAt: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Its first failed attempt since the last success; null while healthy.' })
  failingSince: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Its last delivery answered with a 2xx.' })
  lastSuccessAt: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When its secret was last rotated.' })
  secretRotatedAt: Date | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Until when the secret before the last rotation still signs (both signatures are sent meanwhile).',
  })
  previousSecretExpiresAt: Date | null;

  @Field(() => DateTimeScalar, { description: 'When it was registered.' })
  createdAt: Date;

  @Field(() => DateTimeScalar, { description: 'When it was last changed.' })
  updatedAt: Date;
}

@ObjectType('WebhookEndpointWithSecret', { description: 'An endpoint with its signing secret, shown this once.' })
export class WebhookEndpointWithSecretModel {
  @Field(() => WebhookEndpointModel, { description: 'The endpoint.' })
  endpoint: WebhookEndpointModel;

  @Field({ description: 'The signing secret (whsec_…), shown only now: Roster keeps it sealed.' })
  secret: string;
}

@InputType({ description: 'A new webhook endpoint.' })
export class CreateWebhookEndpointInput {
  @Field({
    description: `Where to POST the events: an absolute https URL (http too with ALLOW_PRIVATE_TARGETS), at most ${WEBHOOK_URL_MAX} characters, no credentials nor fragment, whose host is public.`,
  })
  @Url()
  url: string;

  @Field(() => [String], { description: 'The event types to receive: 1 or more of webhookEventTypes (duplicates dropped).' })
  @EventTypes()
  eventTypes: string[];

  @Field(() => String, { nullable: true, description: `What it is for, at most ${WEBHOOK_DESCRIPTION_MAX} characters.` })
  @IsOptional()
  @Description()
  description?: string | null;
}

@InputType({ description: 'Changes to a webhook endpoint; fields left out stay as they are.' })
export class UpdateWebhookEndpointInput {
  @Field(() => ID, { description: 'The endpoint to change.' })
  @IsUUID()
  id: string;

  @Field(() => String, { nullable: true, description: 'A new URL (the same rules as at creation); the secret stays.' })
  @omittable
  @Url()
  url?: string;

  @Field(() => [String], { nullable: true, description: 'The new list of event types (replaces the old one).' })
  @omittable
  @EventTypes()
  eventTypes?: string[];

  @Field(() => Boolean, { nullable: true, description: 'false disables it (MANUAL); true enables it again.' })
  @omittable
  @IsBoolean()
  enabled?: boolean;

  @Field(() => String, { nullable: true, description: `What it is for, at most ${WEBHOOK_DESCRIPTION_MAX} characters.` })
  @omittable
  @Description()
  description?: string;
}
