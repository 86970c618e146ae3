import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { UsersModule } from '../users/users.module';
import { SessionEndHooks } from './session-end-hooks';
import { SessionListService } from './session-list.service';
import { SessionService } from './session.service';
import { SessionsResolver } from './sessions.resolver';

/** Browser sessions (table sessions): start, look up, list ("where you're signed in") and revoke. */
@Module({
  imports: [AuditModule, UsersModule],
  providers: [SessionService, SessionEndHooks, SessionListService, SessionsResolver],
  exports: [SessionService, SessionEndHooks],
})
export class SessionsModule {}
