import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { SessionsModule } from '../sessions/sessions.module';
import { EmailModule } from '../email/email.module';
import { PasswordResetResolver } from './password-reset.resolver';
import { PasswordResetService } from './password-reset.service';

/** Password-reset links (table password_resets). */
@Module({
  imports: [AuditModule, SessionsModule, EmailModule],
  providers: [PasswordResetService, PasswordResetResolver],
  exports: [PasswordResetService],
})
export class PasswordResetModule {}
