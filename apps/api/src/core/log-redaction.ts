/** Query parameters that carry secrets (invitation, set-up and reset tokens, OAuth codes and state). */
const SECRET_PARAMS = /([?&](?:token|invitation|code|state|session_state|id_token|access_token)=)[^&#]*/gi;

/** The URL as it may appear in logs: secret query values replaced by "[REDACTED]". */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(SECRET_PARAMS, '$1[REDACTED]');
}
