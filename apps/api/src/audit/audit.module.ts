import { Module } from '@nestjs/common';
import { AuditResolver } from './audit.resolver';
import { AuditService } from './audit.service';

/** The audit log (table audit_events): every feature records its changes through AuditService. */
@Module({ providers: [AuditService, AuditResolver], exports: [AuditService] })
export class AuditModule {}
