/** Query parameters that carry secrets (invitation, set-up and reset tokens, OAuth codes and state). */
const SECRET_NAMES = ['token', 'invitation', 'code', 'state', 'session_state', 'id_token', 'access_token'];
const SECRET_PARAMS = new RegExp(`([?&](?:${SECRET_NAMES.join('|')})=)[^&#]*`, 'gi');
const REDACTED = '[REDACTED]';

/** The URL as it may appear in logs: secret query values replaced by "[REDACTED]". */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(SECRET_PARAMS, `$1${REDACTED}`);
}

/** A logged request (pino's serialised form): secret query parameters redacted in its URL and query object. */
export function redactRequest<T extends { url?: string; query?: unknown }>(req: T): T {
  req.url = redactUrl(req.url);
  if (req.query && typeof req.query === 'object') {
    const query = { ...(req.query as Record<string, unknown>) };
    for (const name of Object.keys(query)) if (SECRET_NAMES.includes(name.toLowerCase())) query[name] = REDACTED;
    req.query = query;
  }
  return req;
}
