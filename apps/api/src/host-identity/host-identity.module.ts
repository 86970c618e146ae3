import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { SessionsModule } from '../sessions/sessions.module';
import { HostIdentityController } from './host-identity.controller';
import { HostIdentityService } from './host-identity.service';

/** Identity for the platform's own application: whoami, forward auth, and returning to it after sign-in or sign-out. */
@Module({ imports: [AuthModule, SessionsModule], controllers: [HostIdentityController], providers: [HostIdentityService] })
export class HostIdentityModule {}
