import type { RoleRowFragment, RolesPageQuery } from '@roster/console/data-access/generated';

/** One permission of the vocabulary, explained in the reader's language. */
export type PermissionInfo = RolesPageQuery['permissions'][number];

/** The areas of the vocabulary, in the order the API lists their permissions, each with its permissions. */
export interface PermissionArea {
  readonly area: string;
  readonly permissions: readonly PermissionInfo[];
}

export function groupByArea(vocabulary: readonly PermissionInfo[]): PermissionArea[] {
  const areas = new Map<string, PermissionInfo[]>();
  for (const p of vocabulary) {
    const list = areas.get(p.area) ?? [];
    list.push(p);
    areas.set(p.area, list);
  }
  return [...areas].map(([area, permissions]) => ({ area, permissions }));
}

/** What the role form starts from: a role to edit, one to duplicate, or nothing (a new role). */
export interface RoleFormData {
  readonly vocabulary: readonly PermissionInfo[];
  /** The signed-in person's permissions: only these may be chosen (the API refuses the others). */
  readonly mine: readonly string[];
  readonly edit?: RoleRowFragment;
  readonly copyOf?: RoleRowFragment;
}

/**
 * The permissions a duplicate starts with: those of the original the person holds, in the vocabulary's
 * order; `dropped` counts the others (the person could not grant them).
 */
export function duplicatePermissions(original: readonly string[], mine: readonly string[]): { kept: string[]; dropped: number } {
  const kept = original.filter((p) => mine.includes(p));
  return { kept, dropped: original.length - kept.length };
}
