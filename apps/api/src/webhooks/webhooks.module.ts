import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EmailModule } from '../email/email.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { RolesModule } from '../roles/roles.module';
import { UsersModule } from '../users/users.module';
import { WebhookDeliveriesResolver } from './webhook-deliveries.resolver';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookDisabling } from './webhook-disabling';
import { WebhookEndpointsResolver } from './webhook-endpoints.resolver';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookHousekeeping } from './webhook-housekeeping';
import { WebhookWorker } from './webhook-worker';

/**
 * Signed webhooks (tables webhook_endpoints and webhook_deliveries; the `webhooks_fan_out` trigger on
 * audit_events writes a delivery per event and subscribed endpoint): the endpoints' API, the delivery log
 * (with redelivery), the delivery worker (in every server process), Roster disabling an endpoint that is
 * gone or failing, and the housekeeping.
 */
@Module({
  imports: [AuditModule, EmailModule, OrganizationsModule, RolesModule, UsersModule],
  providers: [
    WebhookHousekeeping,
    WebhookEndpointsService,
    WebhookEndpointsResolver,
    WebhookDeliveriesService,
    WebhookDeliveriesResolver,
    WebhookDisabling,
    WebhookWorker,
  ],
})
export class WebhooksModule {}
