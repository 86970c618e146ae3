import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Permission } from '@roster/contracts/permissions';
import { CurrentPrincipal, RequirePermission } from '../core/access/access.decorators';
import type { Principal } from '../core/access/principal';
import { CreateOidcClientInput, OidcClientModel, OidcClientWithSecretModel, UpdateOidcClientInput } from './oidc-client.model';
import { OidcClientsService } from './oidc-clients.service';

/** The applications that sign people in through Roster (OpenID Connect clients): the organization's, and the platform-wide ones. */
@Resolver()
export class OidcClientsResolver {
  constructor(private readonly clients: OidcClientsService) {}

  @Query(() => [OidcClientModel], {
    description: "The organization's OpenID Connect clients and the platform-wide ones (read-only to its admins).",
  })
  @RequirePermission(Permission.OidcClientsManage)
  oidcClients(@CurrentPrincipal() me: Principal): Promise<OidcClientModel[]> {
    return this.clients.list(me);
  }

  @Mutation(() => OidcClientWithSecretModel, {
    description:
      'Registers a client; its secret (confidential clients) is shown this once. Platform-wide needs an operator; LIMIT_REACHED past 50.',
  })
  @RequirePermission(Permission.OidcClientsManage, { sessionOnly: true })
  createOidcClient(
    @CurrentPrincipal() me: Principal,
    @Args('input', { description: 'The client.' }) input: CreateOidcClientInput,
  ): Promise<OidcClientWithSecretModel> {
    return this.clients.create(me, input);
  }

  @Mutation(() => OidcClientModel, { description: 'Changes a client (not whether it is public).' })
  @RequirePermission(Permission.OidcClientsManage, { sessionOnly: true })
  updateOidcClient(
    @CurrentPrincipal() me: Principal,
    @Args('input', { description: 'The changes.' }) input: UpdateOidcClientInput,
  ): Promise<OidcClientModel> {
    return this.clients.update(me, input);
  }

  @Mutation(() => Boolean, { description: 'Removes a client and every grant and token it holds.' })
  @RequirePermission(Permission.OidcClientsManage, { sessionOnly: true })
  deleteOidcClient(
    @CurrentPrincipal() me: Principal,
    @Args('id', { type: () => ID, description: 'The client (its id, not its client_id).' }, new ParseUUIDPipe()) id: string,
  ): Promise<boolean> {
    return this.clients.delete(me, id);
  }

  @Mutation(() => OidcClientWithSecretModel, {
    description: "Replaces a confidential client's secret (the old one stops working now), shown this once.",
  })
  @RequirePermission(Permission.OidcClientsManage, { sessionOnly: true })
  rotateOidcClientSecret(
    @CurrentPrincipal() me: Principal,
    @Args('id', { type: () => ID, description: 'The client (its id, not its client_id).' }, new ParseUUIDPipe()) id: string,
  ): Promise<OidcClientWithSecretModel> {
    return this.clients.rotateSecret(me, id);
  }
}
