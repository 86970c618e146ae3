import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SortDirection, TwoFactorState, UserSortField, UserStatus } from '../users.enums';
import '../users.enums.graphql';

@ArgsType()
export class UsersArgs {
  @Field(() => Int, { nullable: true, description: 'Page size going forward (default 50, at most 200).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor: rows after this one.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  after?: string | null;

  @Field(() => Int, { nullable: true, description: 'Page size going backward (with before).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor: rows before this one.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  before?: string | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the email.' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  search?: string | null;

  @Field(() => UserStatus, { nullable: true, description: 'Only people with this status (ACTIVE, INVITED or DEACTIVATED).' })
  @IsOptional()
  @IsEnum(UserStatus)
  status?: UserStatus | null;

  @Field(() => TwoFactorState, { nullable: true, description: 'Only people whose two-factor authentication is ENABLED, or MISSING.' })
  @IsOptional()
  @IsEnum(TwoFactorState)
  twoFactor?: TwoFactorState | null;

  @Field(() => UserSortField, { defaultValue: UserSortField.EMAIL, description: 'Column to sort by.' })
  @IsEnum(UserSortField)
  sortBy: UserSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC, description: 'Ascending or descending.' })
  @IsEnum(SortDirection)
  sortDirection: SortDirection;
}
