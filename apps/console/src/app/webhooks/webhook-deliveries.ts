import type { WebhookDeliveryFieldsFragment, WebhookDeliveryStatus } from '@roster/console/data-access/generated';

/** The statuses of a delivery, in the order of the filter. */
export const DELIVERY_STATUSES: readonly WebhookDeliveryStatus[] = ['PENDING', 'RETRYING', 'DELIVERED', 'FAILED'];

/** The status filter of the page's URL (`?status=FAILED`): null for none, or for anything else. */
export function statusFromParam(value: string | null): WebhookDeliveryStatus | null {
  return DELIVERY_STATUSES.find((s) => s === value) ?? null;
}

/** The local day of an instant as YYYY-MM-DD, as the audit log's URL takes it (`?from=…&to=…`). */
export function localDay(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1, 2)}-${pad(date.getDate(), 2)}`;
}

/** The API's words for an attempt that got no answer, and the console's key for each. */
const ERRORS: Readonly<Record<string, string>> = {
  timeout: 'timeout',
  'connection refused': 'connectionRefused',
  'connection reset': 'connectionReset',
  'connection failed': 'connectionFailed',
  'host unreachable': 'hostUnreachable',
  'no public address': 'noPublicAddress',
  'https required': 'httpsRequired',
  'endpoint disabled': 'endpointDisabled',
};

/** What the last attempt got, in words: a translation key and its parameters; `http` when an HTTP answer came. */
export interface DeliveryOutcome {
  readonly key: string;
  readonly params: Record<string, unknown>;
  readonly http: boolean;
}

/**
 * The response status ("HTTP 500"), else why no answer came ("no answer within 10 s", "refused: the address
 * is not public", a TLS reason; an error the console does not know as the API says it), else that no attempt
 * was made yet.
 */
export function deliveryOutcome(delivery: Pick<WebhookDeliveryFieldsFragment, 'responseStatus' | 'error'>): DeliveryOutcome {
  if (delivery.responseStatus !== null) return { key: 'webhooks.deliveries.http', params: { status: delivery.responseStatus }, http: true };
  const error = delivery.error?.trim();
  if (!error) return { key: 'webhooks.deliveries.notYet', params: {}, http: false };
  const known = ERRORS[error];
  if (known) return { key: `webhooks.deliveries.errors.${known}`, params: {}, http: false };
  if (error.startsWith('TLS:')) return { key: 'webhooks.deliveries.errors.tls', params: { reason: error.slice(4).trim() }, http: false };
  return { key: 'webhooks.deliveries.errors.other', params: { error }, http: false };
}
