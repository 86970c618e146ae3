import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { DateTimeScalar } from '../core/graphql/date-time';
import { Permission } from '@roster/contracts/permissions';
import { RequirePermission } from '../core/access/access.decorators';
import { auditFilter } from './audit-query';
import { AuditEventPage } from './audit.model';
import { AuditService } from './audit.service';

@Resolver()
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Query(() => AuditEventPage, { description: 'Admin actions, newest first, filtered; a page at a time by cursor.' })
  @RequirePermission(Permission.AuditRead)
  auditEvents(
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
  ): Promise<AuditEventPage> {
    const filter = auditFilter({ actor, target, action, from, to });
    return this.audit.page(Math.min(Math.max(first, 1), 200), after, filter);
  }

  @Query(() => [String], { description: 'Every action recorded in the audit log so far, alphabetically (for filtering).' })
  @RequirePermission(Permission.AuditRead)
  auditActions(): Promise<string[]> {
    return this.audit.actions();
  }
}
