/**
 * After a single sign-on, the server may ask for the two-factor code: it sends the browser to
 * /sign-in#challenge=…&expires=…[&returnTo=…] (a fragment never reaches a server or a Referer). Returns the
 * challenge when the fragment holds a plausible one that has not expired.
 */
export function ssoChallengeFrom(hash: string, now = Date.now()): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const challenge = params.get('challenge');
  if (!challenge || !/^[A-Za-z0-9_-]{20,100}$/.test(challenge)) return null;
  const expires = Date.parse(params.get('expires') ?? '');
  if (!Number.isNaN(expires) && expires <= now) return null;
  return challenge;
}

/** Where the person goes once the code is right: the `returnTo` the single sign-on began with (null: none). */
export function ssoReturnToFrom(hash: string): string | null {
  return new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash).get('returnTo') || null;
}
