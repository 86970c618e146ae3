/**
 * What is wrong with the text of an absolute URL Roster sends people or requests to, or null: written without
 * spaces, control characters or backslashes (which the URL parser would quietly drop or turn), without
 * fragment or credentials, its host a host name (letters, digits, hyphens, underscores, dots; IDNs as punycode)
 * or an IP address, so that the origin can go into a Content-Security-Policy where `*` or `;` would mean more.
 * `trailingDot`: a fully qualified name's final dot is allowed. Scheme and address rules are the caller's.
 */
export function urlShapeProblem(value: string, options: { trailingDot: boolean }): string | null {
  if (/[\s\\\p{Cc}]/u.test(value)) return 'no spaces, control characters or backslashes';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not an absolute URL';
  }
  if (value.includes('#')) return 'no fragment';
  if (url.username || url.password) return 'no credentials';
  const host = options.trailingDot
    ? /^(?:[a-z0-9_-]+\.)*[a-z0-9_-]+\.?$|^\[[0-9a-f:.]+\]$/
    : /^(?:[a-z0-9_-]+\.)*[a-z0-9_-]+$|^\[[0-9a-f:.]+\]$/;
  if (!host.test(url.hostname)) return 'a host name or an IP address';
  return null;
}
