import { registerEnumType } from '@nestjs/graphql';

/** Where an outgoing email stands (the outbox's status column). */
export enum EmailStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  FAILED = 'FAILED',
}
registerEnumType(EmailStatus, {
  name: 'EmailStatus',
  description: 'Delivery of an email: PENDING (queued or being retried), SENT (accepted by the mail server), FAILED (given up).',
});
