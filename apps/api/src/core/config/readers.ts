import proxyaddr from 'proxy-addr';

/**
 * How one variable's value is read: a set value (never unset or empty: the default applies then) comes
 * back read, or refused with what was expected, said after the variable's name.
 */
export type Reader<T> = (raw: string) => T | Refused;

/** A value a reader refuses: `message` follows the variable's name ("PORT must be…"). */
export class Refused {
  constructor(readonly message: string) {}
}

const refuse = (message: string) => new Refused(message);

/** Unset and empty are the same: the default applies. */
export const unset = (v: string | undefined): v is undefined => v === undefined || v.trim() === '';
/** A value as an error message quotes it, cut after 60 characters. */
export const shown = (v: string) => JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
/** A URL shown without its password (a URL often carries one). */
const masked = (v: string) => v.replace(/\/\/([^:@/\s]*):[^@/\s]*@/, '//$1:***@');
/** "a, b or c" */
const either = (words: readonly string[]) => words.join(', ').replace(/, (\w+)$/, ' or $1');

/** A reader whose value is then changed by `then` (a refusal passes through). */
export const map =
  <T, U>(read: Reader<T>, then: (value: T) => U): Reader<U> =>
  (raw) => {
    const value = read(raw);
    return value instanceof Refused ? value : then(value);
  };

const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off'];

/** true/false, also written yes/no, on/off or 1/0, any case. */
export const boolean: Reader<boolean> = (raw) => {
  const v = raw.trim().toLowerCase();
  if (TRUE.includes(v)) return true;
  return FALSE.includes(v) ? false : refuse(`must be true or false, got ${shown(raw)}`);
};

/** A switch, written on/off (or as any boolean): on is true. */
export const onOff: Reader<boolean> = (raw) => {
  const on = boolean(raw);
  return on instanceof Refused ? refuse(`must be on or off, got ${shown(raw)}`) : on;
};

/** A whole number of at least `min` (nine digits at most). */
export const wholeNumber =
  (min = 0): Reader<number> =>
  (raw) =>
    /^\d{1,9}$/.test(raw.trim()) && Number(raw) >= min
      ? Number(raw)
      : refuse(`must be a whole number of at least ${min}, got ${shown(raw)}`);

/** Any text, trimmed. */
export const text: Reader<string> = (raw) => raw.trim();

/** One of `words`, written exactly so. */
export const exactly =
  <W extends string>(words: readonly W[]): Reader<W> =>
  (raw) =>
    (words as readonly string[]).includes(raw) ? (raw as W) : refuse(`must be ${either(words)}, got ${shown(raw)}`);

/** One of `words`, any case, read lowercase. */
export const oneOf =
  <W extends string>(words: readonly W[]): Reader<W> =>
  (raw) => {
    const v = raw.trim().toLowerCase();
    return (words as readonly string[]).includes(v) ? (v as W) : refuse(`must be one of ${words.join(', ')}, got ${shown(raw)}`);
  };

export const isUrl = (v: string, schemes: string[]) => {
  try {
    const u = new URL(v.trim());
    return schemes.includes(u.protocol.slice(0, -1)) && u.hostname !== '';
  } catch {
    return false;
  }
};

/** A URL of one of these schemes (trimmed), or one of the words in `also` (read lowercase). */
export const url =
  (schemes: string[], example: string, also: string[] = []): Reader<string> =>
  (raw) => {
    const word = raw.trim().toLowerCase();
    if (also.includes(word)) return word;
    if (isUrl(raw, schemes)) return raw.trim();
    return refuse(`must be a ${schemes.join(' or ')} URL such as ${example}, got ${shown(masked(raw))}`);
  };

export type TrustProxy = false | number | string[];

/**
 * TRUST_PROXY: unset/false/0 trusts nobody (the socket address is the client). A number N trusts the
 * N nearest proxies (X-Forwarded-For is read from the right, N hops deep); a comma-separated list
 * trusts those addresses or subnets (also "loopback", "linklocal", "uniquelocal"). "true" means one
 * proxy: trusting every hop would let any client choose its own address. A list is checked by
 * compiling it as Express and the direct GraphQL path will (proxy-addr), so what passes here starts;
 * IPv4 addresses are written as four decimal numbers (proxy-addr would also read "010.0.0.1" as
 * 8.0.0.1 and "1" as 0.0.0.1).
 */
export function trustProxy(raw: string | undefined): TrustProxy {
  const value = (raw ?? '').trim().toLowerCase();
  if (['', 'false', '0', 'no', 'off'].includes(value)) return false;
  if (['true', 'yes', 'on'].includes(value)) return 1;
  if (/^\d{1,9}$/.test(value)) return Number(value);
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of list) {
    const problem = trustProxyEntryProblem(entry);
    if (problem) throw new Error(`TRUST_PROXY must be false, a hop count or a list of proxy addresses/subnets; "${entry}" ${problem}`);
  }
  return list;
}

/** TRUST_PROXY as a reader (see trustProxy). */
export const proxies: Reader<TrustProxy> = (raw) => {
  try {
    return trustProxy(raw);
  } catch (e) {
    return refuse((e as Error).message.replace(/^TRUST_PROXY /, ''));
  }
};

const IPV4_OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}$`);

function trustProxyEntryProblem(entry: string): string | null {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return null;
  const [address = '', ...range] = entry.split('/');
  if (range.length > 1 || !/^[0-9a-f:.%]+$/.test(address.replace(/%.*$/, ''))) return 'is none of these';
  if (!address.includes(':') && !IPV4.test(address)) return 'is not an IP address (e.g. 10.0.0.1, fd00::1)';
  try {
    proxyaddr.compile([entry]);
    return null;
  } catch (e) {
    const message = (e as Error).message;
    if (/invalid IP address/.test(message)) return 'is not an IP address (e.g. 10.0.0.1, fd00::1)';
    if (/range|netmask/.test(message)) return 'has an invalid prefix length or netmask (e.g. 10.0.0.0/8)';
    return `is refused: ${message}`;
  }
}

/**
 * How the SMTP connection is protected. implicit: TLS from the first byte (smtps://); starttls: the
 * server must upgrade with STARTTLS before anything is sent, or nothing is (smtp://); none: plain text,
 * asked for explicitly with smtp://host?tls=none and never with a user name or password.
 */
export type SmtpTls = 'implicit' | 'starttls' | 'none';

/** The server part of SMTP_URL. */
export interface SmtpServer {
  host: string;
  /** Unset: 465 for smtps://, 587 for smtp://. */
  port: number | undefined;
  tls: SmtpTls;
  auth: { user: string; pass: string } | null;
}

/**
 * SMTP_URL: smtps://[user:password@]host[:port] (TLS from the start) or smtp://[user:password@]host[:port]
 * (the server must offer STARTTLS, or nothing is sent); smtp://host[:port]?tls=none sends in plain text,
 * and is refused with a user name or password. Nodemailer's other URL parameters are not passed on:
 * none of them can turn the protection off behind the operator's back.
 */
export function smtpServer(raw: string): SmtpServer | string {
  const u = new URL(raw.trim());
  const names = [...new Set(u.searchParams.keys())];
  const unknown = names.find((n) => n !== 'tls');
  if (unknown !== undefined) return `has an unknown parameter ${shown(unknown)}: the only one is tls=none (plain text, smtp:// only)`;
  const asked = u.searchParams.getAll('tls').map((t) => t.trim().toLowerCase());
  if (asked.length > 1) return 'has tls= more than once';
  const [param] = asked;
  let tls: SmtpTls;
  if (u.protocol === 'smtps:') {
    if (param !== undefined && param !== 'implicit') return `is smtps:// (TLS from the first byte), which tls=${param} contradicts`;
    tls = 'implicit';
  } else if (param === undefined || param === 'starttls') {
    tls = 'starttls';
  } else if (param === 'none') {
    tls = 'none';
  } else {
    return `has tls=${param}: leave it out (STARTTLS, required) or write tls=none (plain text, no password)`;
  }
  let user: string;
  let pass: string;
  try {
    user = decodeURIComponent(u.username);
    pass = decodeURIComponent(u.password);
  } catch {
    return 'has a malformed user name or password (percent-encode special characters, e.g. %40 for @)';
  }
  if (tls === 'none' && (user || pass))
    return 'has a user name or password, which tls=none would send in clear: drop tls=none (STARTTLS) or use smtps://';
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port ? Number(u.port) : undefined,
    tls,
    auth: user || pass ? { user, pass } : null,
  };
}

/** SMTP_URL as a reader (see smtpServer). */
export const smtp: Reader<SmtpServer> = (raw) => {
  if (!isUrl(raw, ['smtp', 'smtps']))
    return refuse(`must be a smtp or smtps URL such as smtps://user:password@mail.example.com:465, got ${shown(masked(raw))}`);
  const server = smtpServer(raw);
  return typeof server === 'string' ? refuse(server) : server;
};

/** A DNS name: letters, digits and hyphens in dot-separated labels (at least two), not an IP address. */
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * COOKIE_DOMAIN: the domain the session and CSRF cookies are set for (`example.com` shares them with
 * every `*.example.com`), written without a scheme, port or path; a leading dot is dropped (browsers
 * ignore it). Refused: a single label (`com`, `localhost`), an IP address, anything but a host name.
 */
export const cookieDomain: Reader<string> = (raw) => {
  const v = raw.trim().toLowerCase().replace(/^\./, '');
  const labels = v.split('.');
  if (v.length > 253 || labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l)))
    return refuse(`must be a domain name such as example.com (no scheme, port or path), got ${shown(raw)}`);
  if (/^\d+$/.test(labels[labels.length - 1])) return refuse(`must be a domain name, not an IP address, got ${shown(raw)}`);
  return v;
};

/** Whether `host` (a URL's hostname) is `domain` or one of its subdomains: a cookie for `domain` reaches it. */
export function hostWithin(host: string, domain: string): boolean {
  const h = host.toLowerCase();
  return h === domain || h.endsWith(`.${domain}`);
}

/**
 * RETURN_TO_ORIGINS: comma-separated exact origins (scheme, host and port; `https://app.example.com`,
 * `http://localhost:4200`) where sign-in and sign-out may send people back. Each is parsed with the
 * WHATWG URL parser and must be an origin alone: http or https, no user, path, query, fragment or
 * wildcard. Read back in the parser's form (`HTTPS://App.Example.com:443/` → `https://app.example.com`).
 */
export const origins: Reader<string[]> = (raw) => {
  const list: string[] = [];
  for (const entry of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    let u: URL;
    try {
      u = new URL(entry);
    } catch {
      return refuse(`must be a comma-separated list of origins such as https://app.example.com; ${shown(entry)} is not a URL`);
    }
    const bare = u.pathname === '/' && !u.search && !u.hash && !entry.endsWith('?') && !entry.endsWith('#') && !/\/\/.*\/./.test(entry);
    if (!['http:', 'https:'].includes(u.protocol)) return refuse(`takes http or https origins only, got ${shown(entry)}`);
    if (u.username || u.password || entry.includes('@')) return refuse(`takes origins without user or password, got ${shown(entry)}`);
    if (entry.includes('*')) return refuse(`takes exact origins, no wildcards, got ${shown(entry)}`);
    if (!bare) return refuse(`takes origins only (scheme, host and port, no path, query or fragment), got ${shown(entry)}`);
    if (!list.includes(u.origin)) list.push(u.origin);
  }
  return list;
};
