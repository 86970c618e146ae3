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
  /**
   * The person's role requires two-factor authentication and they have none yet (browser sessions
   * only): until they set it up, only the operations that lead there are open to them.
   */
  twoFactorSetupRequired?: boolean;
}
