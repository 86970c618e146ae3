import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { WEBHOOK_EVENT_TYPES } from '@roster/contracts/audit-actions';
import { Permission } from '@roster/contracts/permissions';
import { CurrentPrincipal, RequirePermission } from '../core/access/access.decorators';
import type { Principal } from '../core/access/principal';
import {
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WEBHOOK_ENDPOINTS_PER_ORGANIZATION,
  WebhookEndpointModel,
  WebhookEndpointWithSecretModel,
} from './webhook-endpoint.model';
import { WebhookEndpointsService } from './webhook-endpoints.service';

/** The organization's webhook endpoints: the addresses its events are POSTed to, signed. */
@Resolver()
export class WebhookEndpointsResolver {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Query(() => [String], { description: 'The event types an endpoint may receive (the organization audit actions), alphabetical.' })
  @RequirePermission(Permission.WebhooksManage)
  webhookEventTypes(): string[] {
    return [...WEBHOOK_EVENT_TYPES];
  }

  @Query(() => [WebhookEndpointModel], { description: "The organization's webhook endpoints, oldest first." })
  @RequirePermission(Permission.WebhooksManage)
  webhookEndpoints(@CurrentPrincipal() me: Principal): Promise<WebhookEndpointModel[]> {
    return this.endpoints.list(me);
  }

  @Mutation(() => WebhookEndpointWithSecretModel, {
    description: `Registers an endpoint; its signing secret is shown this once. WEBHOOK_URL_REFUSED for a URL that is not https or not public, WEBHOOK_EVENT_TYPE_UNKNOWN, LIMIT_REACHED past ${WEBHOOK_ENDPOINTS_PER_ORGANIZATION}.`,
  })
  @RequirePermission(Permission.WebhooksManage)
  createWebhookEndpoint(
    @CurrentPrincipal() me: Principal,
    @Args('input', { description: 'The endpoint.' }) input: CreateWebhookEndpointInput,
  ): Promise<WebhookEndpointWithSecretModel> {
    return this.endpoints.create(me, input);
  }

  @Mutation(() => WebhookEndpointModel, {
    description: 'Changes an endpoint (its URL, event types, description), or disables or enables it; the secret stays.',
  })
  @RequirePermission(Permission.WebhooksManage)
  updateWebhookEndpoint(
    @CurrentPrincipal() me: Principal,
    @Args('input', { description: 'The changes.' }) input: UpdateWebhookEndpointInput,
  ): Promise<WebhookEndpointModel> {
    return this.endpoints.update(me, input);
  }

  @Mutation(() => Boolean, { description: 'Removes an endpoint and its delivery log.' })
  @RequirePermission(Permission.WebhooksManage)
  deleteWebhookEndpoint(
    @CurrentPrincipal() me: Principal,
    @Args('id', { type: () => ID, description: 'The endpoint.' }, new ParseUUIDPipe()) id: string,
  ): Promise<boolean> {
    return this.endpoints.delete(me, id);
  }

  @Mutation(() => WebhookEndpointWithSecretModel, {
    description: 'A new signing secret, shown this once; the current one keeps signing for 24 hours (both signatures are sent).',
  })
  @RequirePermission(Permission.WebhooksManage)
  rotateWebhookSecret(
    @CurrentPrincipal() me: Principal,
    @Args('id', { type: () => ID, description: 'The endpoint.' }, new ParseUUIDPipe()) id: string,
  ): Promise<WebhookEndpointWithSecretModel> {
    return this.endpoints.rotateSecret(me, id);
  }
}
