/**
 * Statements of the roles table that other owners embed in theirs, where a call to RolesService cannot
 * go: the start-up's admin check runs on a bare pg client, before the application exists.
 */

/** The ids of the roles (of every organization) holding every permission of the array passed as parameter `$n`: a sub-select. */
export const roleIdsWithPermissions = (n: number) => `SELECT id FROM roles WHERE permissions @> $${n}::text[]`;
