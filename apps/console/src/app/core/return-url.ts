/** Only same-site paths are followed after sign-in (no open redirect), and never back to a sign-in step. */
export function safeReturnUrl(url: string | null | undefined): string {
  if (!url || !url.startsWith('/') || url.startsWith('//') || url.startsWith('/sign-in') || url.startsWith('/two-factor-setup')) {
    return '/users';
  }
  return url;
}
