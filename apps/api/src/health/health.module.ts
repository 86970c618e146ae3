import { Module } from '@nestjs/common';
import { DatabaseProbe } from './database-probe';
import { HealthController } from './health.controller';

/** `/healthz` and `/readyz` for load balancers (the database probe: a connection of its own). */
@Module({ controllers: [HealthController], providers: [DatabaseProbe], exports: [DatabaseProbe] })
export class HealthModule {}
