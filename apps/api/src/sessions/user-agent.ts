import Bowser from 'bowser';

export interface Device {
  /** e.g. "Chrome 156", "Safari 17.1"; null when the user agent says nothing recognisable. */
  browser: string | null;
  /** e.g. "Windows 10", "macOS", "iOS 17.1", "Linux". */
  os: string | null;
  /** "desktop", "mobile", "tablet", "tv" or null. */
  deviceType: string | null;
}

const majorOrShort = (version: string | undefined): string => {
  if (!version) return '';
  const parts = version.split('.');
  // "156.0.0.0" says no more than "156"; "17.1" is how Safari names itself.
  return parts.length > 2 || parts[1] === '0' ? parts[0] : parts.slice(0, 2).join('.');
};

/** A browser session's device, read from its User-Agent header with a maintained parser. */
export function describeUserAgent(userAgent: string | null): Device {
  if (!userAgent?.trim()) return { browser: null, os: null, deviceType: null };
  try {
    const parsed = Bowser.parse(userAgent);
    const browser = parsed.browser.name ? `${parsed.browser.name} ${majorOrShort(parsed.browser.version)}`.trim() : null;
    const osVersion = parsed.os.versionName ?? (parsed.os.name === 'Windows' ? undefined : parsed.os.version);
    const os = parsed.os.name ? `${parsed.os.name} ${osVersion ?? ''}`.trim() : null;
    return { browser, os, deviceType: parsed.platform.type ?? null };
  } catch {
    return { browser: null, os: null, deviceType: null };
  }
}
