import { ErrorCode } from '@roster/contracts/errors';
import net from 'node:net';
import { AppError } from '../core/errors/app-error';
import { type LookupFunction, guardedLookup, publicAddresses, urlRefusal } from '../core/security/outbound';
import { urlShapeProblem } from '../core/security/url-shape';

/** The longest endpoint URL accepted. */
export const WEBHOOK_URL_MAX = 2000;
/** How long a name may take to resolve when an endpoint is created or its URL changed. */
export const WEBHOOK_RESOLVE_TIMEOUT_MS = 5000;

/**
 * What is wrong with the text of an endpoint URL, or null: an absolute URL of at most WEBHOOK_URL_MAX
 * characters, without spaces, control characters or backslashes (which the URL parser would quietly drop
 * or turn), credentials or fragment, whose host is a host name (IDNs as the parser writes them) or an IP
 * address. Its scheme and its address are judged afterwards (`webhookUrlRefusal`).
 */
export function webhookUrlProblem(value: string): string | null {
  if (value.length > WEBHOOK_URL_MAX) return `at most ${WEBHOOK_URL_MAX} characters`;
  // Lone surrogates too: the parser would turn them into replacement characters.
  if (/\p{Cs}/u.test(value)) return 'no spaces, control characters or backslashes';
  return urlShapeProblem(value, { trailingDot: true });
}

/**
 * An endpoint URL checked as the design's section on addresses has it, before any transaction:
 * syntax (BAD_USER_INPUT on `url`), scheme (`https:`, or `http:` under ALLOW_PRIVATE_TARGETS:
 * WEBHOOK_URL_REFUSED, reason SCHEME), the literal host (`localhost` names, refused IP literals:
 * reason ADDRESS), then the name resolved, every address public, within 5 s (reason ADDRESS). A private
 * answer, no answer and no answer in time are told alike and the address is never named: creating an
 * endpoint is no oracle of the internal DNS. Under ALLOW_PRIVATE_TARGETS nothing is resolved.
 */
export async function checkedWebhookUrl(
  value: string,
  options: { allowPrivateTargets: boolean; lookup?: LookupFunction; timeoutMs?: number },
): Promise<URL> {
  const problem = webhookUrlProblem(value);
  if (problem) {
    throw new AppError(ErrorCode.BadUserInput, `Not a usable URL: ${problem}.`, { fields: { url: ['url'] }, field: 'url' });
  }
  const url = new URL(value);
  const refusal = urlRefusal(url, options);
  if (refusal === 'SCHEME') {
    throw new AppError(ErrorCode.WebhookUrlRefused, 'Webhook endpoints must use https.', { reason: 'SCHEME' });
  }
  if (refusal === 'ADDRESS') {
    throw new AppError(ErrorCode.WebhookUrlRefused, 'The address of this URL is not public.', { reason: 'ADDRESS' });
  }
  if (options.allowPrivateTargets) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) !== 0) return url; // a literal: judged by urlRefusal, never resolved
  const addresses = await publicAddresses(host, options.timeoutMs ?? WEBHOOK_RESOLVE_TIMEOUT_MS, options.lookup ?? guardedLookup);
  if (!addresses) {
    throw new AppError(ErrorCode.WebhookUrlRefused, 'This URL resolves to no public address.', { reason: 'ADDRESS' });
  }
  return url;
}

/** The host of an endpoint URL, as audit details and logs name it (never its path, query or credentials). */
export function webhookHost(value: string): string {
  try {
    return new URL(value).host;
  } catch {
    return '';
  }
}
