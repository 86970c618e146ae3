import { Module } from '@nestjs/common';
import { WebhookHousekeeping } from './webhook-housekeeping';

/**
 * Signed webhooks (tables webhook_endpoints and webhook_deliveries; the `webhooks_fan_out` trigger on
 * audit_events writes a delivery per event and subscribed endpoint). So far the storage and its
 * housekeeping; endpoints' API and the delivery worker come next.
 */
@Module({
  providers: [WebhookHousekeeping],
})
export class WebhooksModule {}
