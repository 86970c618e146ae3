/** Only same-site paths are followed after sign-in (no open redirect). */
export function safeReturnUrl(url: string | null | undefined): string {
  if (!url || !url.startsWith('/') || url.startsWith('//') || url.startsWith('/sign-in')) return '/users';
  return url;
}
