import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CurrentPrincipal, RequireOperator } from '../core/access/access.decorators';
import { organizationOf, type Principal } from '../core/access/principal';
import { PrincipalCache } from '../core/access/principal-cache';
import { LOCKS } from '../core/database/locks';
import { AccountsService } from '../users/accounts.service';
import { UserModel } from '../users/user.model';

/** Platform operators: who may run the platform (organizations, other operators). */
@Resolver()
export class OperatorsResolver {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
    private readonly principals: PrincipalCache,
  ) {}

  @Mutation(() => UserModel, {
    description:
      'Makes a member of the current organization a platform operator, or not (operators only; anyone else is NOT_FOUND). The last active operator stays one (LAST_OPERATOR). Recorded in the audit log as a platform event.',
  })
  @RequireOperator()
  async setOperator(
    @CurrentPrincipal() me: Principal,
    @Args('userId', { type: () => ID, description: 'The person.' }, new ParseUUIDPipe()) userId: string,
    @Args('operator', { type: () => Boolean, description: 'Whether they are an operator from now on.' }) operator: boolean,
  ): Promise<UserModel> {
    // Operators see people through the organization they act in, like everyone: a person who is not a
    // member of it is NOT_FOUND (whether they exist elsewhere is not told).
    const organizationId = organizationOf(me);
    const user = await this.db.transaction(async (tx) => {
      // One change of operators at a time: two operators revoking each other cannot leave none.
      await tx.query(`SELECT pg_advisory_xact_lock(${LOCKS.operators})`);
      const user = await this.accounts.findById(organizationId, userId, tx);
      const changed = await this.accounts.setOperator(tx, userId, operator);
      if (changed) {
        await this.audit.record(
          tx,
          me,
          operator ? 'operator.granted' : 'operator.revoked',
          { id: userId, email: user.email },
          {},
          { platform: true },
        );
      }
      return user;
    });
    this.principals.forget(userId); // this instance at once; the others when PostgreSQL announces it
    return user;
  }
}
