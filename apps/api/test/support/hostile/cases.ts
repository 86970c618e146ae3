/**
 * What the hostile-input suite sends: GraphQL calls (a field, its arguments, as whom) and raw HTTP requests. Arguments may
 * hold references to live data (a user's id, an invitation token, a users cursor), resolved just before sending.
 */

export type Who = 'admin' | 'anonymous' | 'viewer' | 'bearer';

// References to live data: resolved just before sending, against what exists then.

export type RefKind =
  'user' | 'invited' | 'role' | 'team' | 'apiToken' | 'audit' | 'email' | 'invitationToken' | 'challengeToken' | 'totp' | 'cursor';

export class Ref {
  constructor(
    readonly kind: RefKind,
    readonly pick: number,
    readonly variant: 'plain' | 'upper' | 'padded' = 'plain',
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
}

export const FALLBACK_ID = '0b7f1c3e-9d2a-4e65-8f10-2c3d4e5f6a7b';

export function resolve(value: unknown, pools: Pools, sortBy: string): unknown {
  if (value instanceof Ref) {
    const pool = pools[value.kind];
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
}

export type Case = GqlCase | HttpCase;
