import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Permission } from '@roster/contracts/permissions';
import { CurrentPrincipal, RequirePermission } from '../core/access/access.decorators';
import type { Principal } from '../core/access/principal';
import {
  WEBHOOK_DELIVERIES_PAGE_MAX,
  WebhookDeliveryModel,
  WebhookDeliveryPageModel,
  WebhookDeliveryStatus,
} from './webhook-delivery.model';
import { WebhookDeliveriesService } from './webhook-deliveries.service';

/** The delivery log of the organization's webhook endpoints, and redelivery. */
@Resolver()
export class WebhookDeliveriesResolver {
  constructor(private readonly deliveries: WebhookDeliveriesService) {}

  @Query(() => WebhookDeliveryPageModel, {
    description:
      "One endpoint's deliveries (kept 30 days after they finish), newest first, a page at a time by cursor. NOT_FOUND for an endpoint that is not the organization's.",
  })
  @RequirePermission(Permission.WebhooksManage)
  webhookDeliveries(
    @CurrentPrincipal() me: Principal,
    @Args('endpointId', { type: () => ID, description: 'The endpoint.' }, new ParseUUIDPipe()) endpointId: string,
    @Args('first', { type: () => Int, defaultValue: 50, description: `Page size, 1 to ${WEBHOOK_DELIVERIES_PAGE_MAX} (clamped).` })
    first: number,
    @Args('after', {
      type: () => String,
      nullable: true,
      description: 'Cursor: the endCursor of the previous page; older deliveries follow.',
    })
    after: string | null,
    @Args('status', { type: () => WebhookDeliveryStatus, nullable: true, description: 'Only deliveries in this status.' })
    status: WebhookDeliveryStatus | null,
  ): Promise<WebhookDeliveryPageModel> {
    return this.deliveries.page(me, endpointId, first, after, status);
  }

  @Mutation(() => WebhookDeliveryModel, {
    description:
      'Sends a delivery again, with the same webhook-id: a DELIVERED or FAILED one becomes PENDING (due now, retried for 24 hours), a RETRYING one due now unless an attempt is under way, a PENDING one stays as it is. WEBHOOK_ENDPOINT_DISABLED on a disabled endpoint.',
  })
  @RequirePermission(Permission.WebhooksManage)
  redeliverWebhook(
    @CurrentPrincipal() me: Principal,
    @Args('deliveryId', { type: () => ID, description: 'The delivery.' }, new ParseUUIDPipe()) deliveryId: string,
  ): Promise<WebhookDeliveryModel> {
    return this.deliveries.redeliver(me, deliveryId);
  }
}
