import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { Permission } from '@roster/contracts/permissions';
import { RequirePermission } from '../core/access/access.decorators';
import { AuditEventPage } from './audit.model';
import { AuditService } from './audit.service';

@Resolver()
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Query(() => AuditEventPage, { description: 'Admin actions, newest first.' })
  @RequirePermission(Permission.AuditRead)
  auditEvents(
    @Args('first', { type: () => Int, defaultValue: 50, description: 'Page size, 1 to 200 (clamped).' }) first: number,
    @Args('after', { type: () => ID, nullable: true, description: 'Cursor: the id of the last event seen; older events follow.' })
    after: string | null,
    @Args('action', { type: () => String, nullable: true, description: 'Only events with this action, e.g. "user.deleted".' })
    action: string | null,
  ): Promise<AuditEventPage> {
    return this.audit.page(Math.min(Math.max(first, 1), 200), after, action);
  }
}
