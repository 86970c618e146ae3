import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { WebhookDeliveriesResolver } from './webhook-deliveries.resolver';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookEndpointsResolver } from './webhook-endpoints.resolver';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookHousekeeping } from './webhook-housekeeping';

/**
 * Signed webhooks (tables webhook_endpoints and webhook_deliveries; the `webhooks_fan_out` trigger on
 * audit_events writes a delivery per event and subscribed endpoint). So far the storage, its
 * housekeeping, the endpoints' API and the delivery log (with redelivery); the delivery worker comes next
 * (deliveries wait as PENDING).
 */
@Module({
  imports: [AuditModule],
  providers: [WebhookHousekeeping, WebhookEndpointsService, WebhookEndpointsResolver, WebhookDeliveriesService, WebhookDeliveriesResolver],
})
export class WebhooksModule {}
