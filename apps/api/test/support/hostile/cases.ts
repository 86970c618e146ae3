/**
 * What the hostile-input suite sends: GraphQL calls (a field, its arguments, as whom) and raw HTTP requests. Arguments may
 * hold references to live data (a user's id, an invitation token, a users cursor), resolved just before sending.
 */

/**
 * The callers: of organization A (the set-up one: its Admin, who is a platform operator, a Viewer, an Admin's API token)
 * naming no organization; of organization B (its Admin, a Viewer, its Admin's API token) naming B in every request.
 */
export type Who = 'admin' | 'anonymous' | 'viewer' | 'bearer' | 'adminB' | 'viewerB' | 'bearerB';

/** B's callers: they name B (X-Roster-Organization) and their references resolve against B's data. */
export const B_CALLERS: readonly Who[] = ['adminB', 'viewerB', 'bearerB'];

// References to live data: resolved just before sending, against what exists then.

export type RefKind =
  | 'user'
  | 'invited'
  | 'role'
  | 'team'
  | 'apiToken'
  | 'audit'
  | 'email'
  | 'invitationToken'
  | 'challengeToken'
  | 'totp'
  | 'cursor'
  /** Organizations other than A (B, and those the cases made); A's own is never a target (the suite acts in it). */
  | 'organization'
  /** Every organization's slug, A's and B's first. */
  | 'slug'
  | 'spareSlug'
  /** Webhook endpoints of the caller's organization (`foreign`: the other's). */
  | 'webhookEndpoint'
  /** Webhook deliveries of the caller's organization, newest first (`foreign`: the other's). */
  | 'webhookDelivery';

export class Ref {
  constructor(
    readonly kind: RefKind,
    readonly pick: number,
    /** `foreign`: the same kind of thing, of the other organization (B's for A's callers, A's for B's). */
    readonly variant: 'plain' | 'upper' | 'padded' | 'foreign' = 'plain',
  ) {}
}

/** A users cursor: [sort field, key, id], base64url of JSON; '$sortBy' takes the case's own sort. */
export class CursorRef {
  constructor(
    readonly parts: unknown[],
    readonly encoding: 'base64url' | 'base64' = 'base64url',
  ) {}
}

export interface Pools {
  user: string[];
  invited: string[];
  role: string[];
  team: string[];
  apiToken: string[];
  audit: string[];
  email: string[];
  invitationToken: string[];
  challengeToken: string[];
  totp: string[];
  cursor: string[];
  organization: string[];
  slug: string[];
  /** The slugs of the organizations the cases made (neither A's nor B's): the only ones a deletion may confirm. */
  spareSlug: string[];
  webhookEndpoint: string[];
  webhookDelivery: string[];
  /** The other organization's pools, for `foreign` references. */
  other?: Pools;
}

export const FALLBACK_ID = '0b7f1c3e-9d2a-4e65-8f10-2c3d4e5f6a7b';

export function resolve(value: unknown, pools: Pools, sortBy: string): unknown {
  if (value instanceof Ref) {
    const pool = (value.variant === 'foreign' && pools.other ? pools.other : pools)[value.kind];
    const v = pool.length ? pool[value.pick % pool.length] : value.kind === 'audit' ? '1' : FALLBACK_ID;
    return value.variant === 'upper' ? v.toUpperCase() : value.variant === 'padded' ? ` ${v} ` : v;
  }
  if (value instanceof CursorRef) {
    const parts = value.parts.map((p) => (p === '$sortBy' ? sortBy : resolve(p, pools, sortBy)));
    return Buffer.from(JSON.stringify(parts)).toString(value.encoding);
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, pools, sortBy));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, resolve(v, pools, sortBy)]));
  }
  return value;
}

export interface GqlCase {
  type: 'gql';
  who: Who;
  field: string;
  args: Record<string, unknown>;
  mode: 'variables' | 'literals';
  extra?: [string, unknown];
  /** Copy each password into its confirmation (so the case gets past the mismatch check). */
  coherent?: boolean;
  /** X-Roster-Organization instead of the caller's own (none for A's callers, B for B's): garbage, or another's. */
  organizationHeader?: unknown;
  /** For a pinned case: the code it must answer (OK: it succeeds). */
  expected?: string;
}

export interface HttpCase {
  type: 'http';
  who: Who;
  label: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  cookies?: Record<string, string>;
  body?: string | Uint8Array;
  csrf?: boolean;
  /** As for GraphQL calls: X-Roster-Organization instead of the caller's own. */
  organizationHeader?: unknown;
}

export type Case = GqlCase | HttpCase;
