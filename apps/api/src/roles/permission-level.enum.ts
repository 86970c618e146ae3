import { registerEnumType } from '@nestjs/graphql';
import { PermissionLevel } from '@roster/contracts/permissions';

/** The shared PermissionLevel values, with GraphQL names equal to the values (FULL_ACCESS, ...). */
export const PermissionLevelEnum = Object.fromEntries(Object.values(PermissionLevel).map((v) => [v, v])) as {
  [K in PermissionLevel]: K;
};

registerEnumType(PermissionLevelEnum, {
  name: 'PermissionLevel',
  description: "A quick, human-readable level derived from the role's permissions.",
});
