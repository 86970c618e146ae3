import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { DateTimeScalar } from '../core/graphql/date-time';
import { Permission } from '@roster/contracts/permissions';
import { CurrentPrincipal, RequirePermission } from '../core/access/access.decorators';
import type { Principal } from '../core/access/principal';
import { auditFilter, auditOwner, AuditScope } from './audit-query';
import { AuditEventPage } from './audit.model';
import { AuditService } from './audit.service';

const SCOPE =
  "ORGANIZATION (the default): the current organization's events; PLATFORM: the platform's own, for platform operators signed in to the console (others are refused).";

@Resolver()
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Query(() => AuditEventPage, {
    description:
      "The current organization's admin actions (or the platform's, see scope), newest first, filtered; a page at a time by cursor.",
  })
  @RequirePermission(Permission.AuditRead)
  auditEvents(
    @CurrentPrincipal() principal: Principal,
    @Args('first', { type: () => Int, defaultValue: 50, description: 'Page size, 1 to 200 (clamped).' }) first: number,
    @Args('after', {
      type: () => ID,
      nullable: true,
      description: 'Cursor: the endCursor of the previous page (or, as before, the id of the last event seen); older events follow.',
    })
    after: string | null,
    @Args('action', { type: () => String, nullable: true, description: 'Only events with this action, e.g. "user.deleted".' })
    action: string | null,
    @Args('actor', {
      type: () => String,
      nullable: true,
      description: "Only events by this person: a user id, or an email (any case) matched against the actor's email at the time.",
    })
    actor: string | null,
    @Args('target', {
      type: () => String,
      nullable: true,
      description: "Only events on this person: a user id, or an email (any case) matched against the target's email at the time.",
    })
    target: string | null,
    @Args('from', { type: () => DateTimeScalar, nullable: true, description: 'Only events at or after this instant.' })
    from: Date | null,
    @Args('to', { type: () => DateTimeScalar, nullable: true, description: 'Only events before this instant (not included).' })
    to: Date | null,
    @Args('scope', { type: () => AuditScope, defaultValue: AuditScope.ORGANIZATION, description: SCOPE }) scope: AuditScope,
  ): Promise<AuditEventPage> {
    const owner = auditOwner(principal, scope);
    const filter = auditFilter({ actor, target, action, from, to });
    return this.audit.page(owner, Math.min(Math.max(first, 1), 200), after, filter);
  }

  @Query(() => [String], {
    description:
      "Every action recorded so far in the current organization's audit log (or the platform's), alphabetically (for filtering).",
  })
  @RequirePermission(Permission.AuditRead)
  auditActions(
    @CurrentPrincipal() principal: Principal,
    @Args('scope', { type: () => AuditScope, defaultValue: AuditScope.ORGANIZATION, description: SCOPE }) scope: AuditScope,
  ): Promise<string[]> {
    return this.audit.actions(auditOwner(principal, scope));
  }
}
