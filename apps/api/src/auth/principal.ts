/** Who is calling: resolved once per request from the session cookie (or an API token). */
export interface Principal {
  userId: string;
  email: string;
  sessionId: string;
  permissions: string[];
  via: 'cookie' | 'bearer';
}
