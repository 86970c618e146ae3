import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';

/** `/healthz` and `/readyz` for load balancers. */
@Module({ controllers: [HealthController] })
export class HealthModule {}
