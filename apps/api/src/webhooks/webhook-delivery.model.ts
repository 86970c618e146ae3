import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateTimeScalar } from '../core/graphql/date-time';

/** The most deliveries one page answers (`first` is clamped to 1–200). */
export const WEBHOOK_DELIVERIES_PAGE_MAX = 200;

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  RETRYING = 'RETRYING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where a delivery stands.',
  valuesMap: {
    PENDING: { description: 'Not attempted yet, or redelivery asked: sent as soon as possible.' },
    RETRYING: { description: 'An attempt failed; another one is due (for 24 hours).' },
    DELIVERED: { description: 'The endpoint answered with a 2xx.' },
    FAILED: { description: 'Given up: 24 hours of failed attempts, a 410 Gone, or its endpoint disabled meanwhile.' },
  },
});

@ObjectType('WebhookDelivery', { description: 'One event sent (or to be sent) to one endpoint, and how its attempts went.' })
export class WebhookDeliveryModel {
  @Field(() => ID, { description: "The delivery's id." })
  id: string;

  @Field({ description: 'Its webhook-id header (msg_ and the id without dashes): the same on every attempt and on redelivery.' })
  webhookId: string;

  @Field(() => ID, { description: 'The audit event delivered (its id in the audit log, data.id in the payload).' })
  eventId: string;

  @Field({ description: "The event's type (its audit action), e.g. team.created." })
  eventType: string;

  @Field(() => WebhookDeliveryStatus, { description: 'Where the delivery stands.' })
  status: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'Attempts made so far (redelivery keeps counting).' })
  attempts: number;

  @Field(() => Int, { nullable: true, description: "The last attempt's HTTP status; null when no HTTP answer came (or none was made)." })
  responseStatus: number | null;

  @Field(() => String, { nullable: true, description: "The first 4 KiB of the last answer's body, as text." })
  responseBody: string | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt got no answer (e.g. timeout, connection refused).' })
  error: string | null;

  @Field(() => DateTimeScalar, { description: 'When the event was enqueued for this endpoint.' })
  createdAt: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the last attempt started; null before the first.' })
  lastAttemptAt: Date | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When the next attempt is due, for PENDING and RETRYING deliveries; null otherwise.',
  })
  nextAttemptAt: Date | null;
}

@ObjectType('WebhookDeliveryPage', { description: "A page of an endpoint's deliveries, newest first." })
export class WebhookDeliveryPageModel {
  @Field(() => [WebhookDeliveryModel], { description: 'The deliveries of this page, newest first.' })
  deliveries: WebhookDeliveryModel[];

  @Field({ description: 'Whether older deliveries follow.' })
  hasNextPage: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor to pass as `after` for the next page; null when the page is empty.' })
  endCursor: string | null;
}
