import { AbstractControl, ValidationErrors } from '@angular/forms';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { ErrorCode } from '@roster/contracts/errors';
import type { WebhookEndpointFieldsFragment } from '@roster/console/data-access/generated';
import { errorKey } from '../core/api';

/** The longest URL and description the API accepts. */
export const URL_MAX = 2000;
export const DESCRIPTION_MAX = 500;

/** The event types' areas, in the order the dialog lists them; `other` gathers what no area names. */
export const AREAS = [
  'users',
  'invitations',
  'teams',
  'roles',
  'sessions',
  'security',
  'sso',
  'apiTokens',
  'applications',
  'webhooks',
  'audit',
  'other',
] as const;
export type Area = (typeof AREAS)[number];

/** The area of an event type's prefix (`user.role_changed` → users). */
const AREA_OF: Readonly<Record<string, Area>> = {
  user: 'users',
  users: 'users',
  setup: 'users',
  invitation: 'invitations',
  team: 'teams',
  role: 'roles',
  session: 'sessions',
  two_factor_policy: 'security',
  sso_connection: 'sso',
  api_token: 'apiTokens',
  oidc_client: 'applications',
  webhook_endpoint: 'webhooks',
  webhook_delivery: 'webhooks',
  audit: 'audit',
};

export interface EventGroup {
  readonly area: Area;
  /** Its event types, as the API lists them (alphabetical). */
  readonly types: readonly string[];
}

/** Where a prefix comes within its area (`user.*` before `users.*` and `setup.*`); unknown prefixes last. */
const PREFIX_ORDER = Object.keys(AREA_OF);
const prefixRank = (type: string) => {
  const rank = PREFIX_ORDER.indexOf(type.split('.')[0]);
  return rank < 0 ? PREFIX_ORDER.length : rank;
};

/** The event types by area, areas in the order of AREAS, empty areas left out; within an area, by prefix, then as given. */
export function eventGroups(types: readonly string[]): EventGroup[] {
  const byArea = new Map<Area, string[]>();
  for (const type of types) {
    const area = AREA_OF[type.split('.')[0]] ?? 'other';
    byArea.set(area, [...(byArea.get(area) ?? []), type]);
  }
  return AREAS.filter((area) => byArea.has(area)).map((area) => ({
    area,
    types: [...(byArea.get(area) ?? [])].sort((a, b) => prefixRank(a) - prefixRank(b)),
  }));
}

/** The host and path of a URL, as the list shows it (`hooks.example.com/roster`); the text itself when not a URL. */
export function hostAndPath(url: string): string {
  try {
    const parsed = new URL(url);
    const path = parsed.pathname === '/' ? '' : parsed.pathname;
    return `${parsed.host}${path}${parsed.search}`;
  } catch {
    return url;
  }
}

/** A moment as a short date and time ("Dec 6, 2026, 9:05 PM", "6 déc. 2026, 21:05"). */
export function shortTime(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** What names an endpoint: its description, else its URL's host. */
export function endpointName(endpoint: Pick<WebhookEndpointFieldsFragment, 'description' | 'url'>): string {
  const description = endpoint.description.trim();
  if (description) return description;
  try {
    return new URL(endpoint.url).host;
  } catch {
    return endpoint.url;
  }
}

/** How an endpoint is doing: a translation key, its tone, and the time it names (if any). */
export interface EndpointStatus {
  readonly key: string;
  readonly tone: 'ok' | 'warning' | 'off' | 'error';
  readonly icon: string;
  readonly since: string | null;
}

/** Enabled (failing since… or not), or disabled: by an admin, by a 410 Gone, after three days of failures. */
export function endpointStatus(
  endpoint: Pick<WebhookEndpointFieldsFragment, 'enabled' | 'disabledReason' | 'failingSince' | 'disabledAt'>,
): EndpointStatus {
  if (endpoint.enabled) {
    return endpoint.failingSince
      ? { key: 'webhooks.status.failing', tone: 'warning', icon: 'warning', since: endpoint.failingSince }
      : { key: 'webhooks.status.enabled', tone: 'ok', icon: 'check_circle', since: null };
  }
  if (endpoint.disabledReason === 'GONE') return { key: 'webhooks.status.gone', tone: 'error', icon: 'block', since: endpoint.disabledAt };
  if (endpoint.disabledReason === 'FAILING') {
    return { key: 'webhooks.status.failedOff', tone: 'error', icon: 'block', since: endpoint.disabledAt };
  }
  return { key: 'webhooks.status.disabled', tone: 'off', icon: 'pause_circle', since: endpoint.disabledAt };
}

/** Whether Roster itself disabled the endpoint (a 410 Gone, three days of failures): the page says so above the list. */
export function disabledByRoster(endpoint: Pick<WebhookEndpointFieldsFragment, 'enabled' | 'disabledReason'>): boolean {
  return !endpoint.enabled && (endpoint.disabledReason === 'GONE' || endpoint.disabledReason === 'FAILING');
}

/** `{ url }` for text that is no absolute http(s) URL (what else a URL may be is the API's to say). */
export function urlValidator(control: AbstractControl<string>): ValidationErrors | null {
  const value = (control.value ?? '').trim();
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? null : { url: true };
  } catch {
    return { url: true };
  }
}

/** The fields of the dialog the API may name when it refuses one. */
export type EndpointField = 'url' | 'description' | 'eventTypes';

/** What went wrong, to say beside `field` (or above the buttons when null): a translation key and its parameters. */
export interface EndpointProblem {
  readonly field: EndpointField | null;
  readonly key: string;
  readonly params?: Record<string, unknown>;
}

/** The field a path of `extensions.fields` names (`input.description` → description), or null. */
function fieldOf(path: unknown): EndpointField | null {
  if (typeof path !== 'string') return null;
  const last = path.split('.').pop();
  return last === 'url' || last === 'description' || last === 'eventTypes' ? last : null;
}

/**
 * What a failed create or update means for the form: a refused URL (not https, not public) or one the API
 * cannot read on the URL; an unknown event type (or none) on the list; a refused description on its
 * field; the limit of endpoints, and anything else, above the buttons.
 */
export function endpointProblem(error: unknown): EndpointProblem {
  if (CombinedGraphQLErrors.is(error)) {
    const extensions = error.errors[0]?.extensions ?? {};
    const code = extensions['code'];
    if (code === ErrorCode.WebhookUrlRefused) {
      return { field: 'url', key: extensions['reason'] === 'SCHEME' ? 'webhooks.invalid.scheme' : 'webhooks.invalid.address' };
    }
    if (code === ErrorCode.WebhookEventTypeUnknown) {
      const type = extensions['eventType'];
      return typeof type === 'string'
        ? { field: 'eventTypes', key: 'webhooks.invalid.unknownType', params: { type } }
        : { field: 'eventTypes', key: 'webhooks.invalid.noType' };
    }
    if (code === ErrorCode.LimitReached) {
      return { field: null, key: 'webhooks.limitReached', params: { limit: extensions['limit'] ?? 20 } };
    }
    if (code === ErrorCode.BadUserInput) {
      const fields = extensions['fields'];
      const named = [extensions['field'], ...(fields && typeof fields === 'object' ? Object.keys(fields) : [])];
      const field = named.map(fieldOf).find((f) => f !== null);
      if (field === 'url') return { field, key: 'webhooks.invalid.url' };
      if (field === 'description') return { field, key: 'webhooks.invalid.description' };
      if (field === 'eventTypes') return { field, key: 'webhooks.invalid.noType' };
    }
  }
  return { field: null, key: errorKey(error) };
}
