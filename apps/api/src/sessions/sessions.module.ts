import { Module } from '@nestjs/common';
import { SessionService } from './session.service';

/** Browser sessions (table sessions): start, look up, revoke. */
@Module({ providers: [SessionService], exports: [SessionService] })
export class SessionsModule {}
