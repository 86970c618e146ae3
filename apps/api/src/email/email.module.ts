import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EmailService } from './email.service';

/** Outgoing email: the outbox (table email_outbox) and its delivery over SMTP. */
@Module({
  imports: [AuditModule],
  providers: [EmailService],
  exports: [EmailService],
})
export class EmailModule {}
