import { Module } from '@nestjs/common';
import { DatabaseProbe } from './database-probe';
import { HealthController } from './health.controller';

/** `/healthz` and `/readyz` for load balancers; the database probe (its own connection) also serves metrics. */
@Module({ controllers: [HealthController], providers: [DatabaseProbe], exports: [DatabaseProbe] })
export class HealthModule {}
