import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { UsersModule } from '../users/users.module';
import { EmailModule } from '../email/email.module';
import { PasswordResetResolver } from './password-reset.resolver';
import { PasswordResetService } from './password-reset.service';

/** Password-reset links (table password_resets). */
@Module({
  imports: [AuditModule, UsersModule, EmailModule],
  providers: [PasswordResetService, PasswordResetResolver],
  exports: [PasswordResetService],
})
export class PasswordResetModule {}
