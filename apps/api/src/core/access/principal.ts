/** Who is calling: resolved once per request from the session cookie or an API token. */
export interface Principal {
  userId: string;
  email: string;
  /** The browser session (null for API tokens). */
  sessionId: string | null;
  /** The API token (null for browser sessions). */
  tokenId: string | null;
  permissions: string[];
  via: 'cookie' | 'bearer';
}
