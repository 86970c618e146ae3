import ipaddr from 'ipaddr.js';
import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

/**
 * Which addresses Roster's outbound requests (webhooks, organizations' own single sign-on providers)
 * may reach: public unicast only, checked three times — the URL's literal host (`hostAllowed`: Node never asks
 * `lookup` for an IP literal), every address a name resolves to (`guardedLookup`: the address checked is the
 * address connected to, so DNS rebinding meets the check at each connection), and the socket's remote address
 * once connected (`outboundAgent`, a belt for anything that bypassed the lookup). ALLOW_PRIVATE_TARGETS=true
 * turns the three off and allows plain http: development and tests only.
 */

/** NAT64's well-known prefix (RFC 6052): a public IPv4 behind DNS64 on an IPv6-only cluster. Not 64:ff9b:1::/48. */
const NAT64 = ipaddr.IPv6.parseCIDR('64:ff9b::/96');
/** IPv4-compatible addresses (deprecated, RFC 4291): `[::169.254.169.254]` parses to `::a9fe:a9fe`, which ipaddr.js calls unicast. */
const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR('::/96');
/** IANA's global unicast space; everything else of IPv6 is special-use or reserved by the IETF. */
const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');

const embeddedIPv4 = (v6: ipaddr.IPv6): ipaddr.IPv4 => {
  const bytes = v6.toByteArray();
  return new ipaddr.IPv4(bytes.slice(12));
};

const ipv4Allowed = (v4: ipaddr.IPv4) => v4.range() === 'unicast';

/**
 * Whether an outbound request may connect to this address (as Node writes one: dotted decimal IPv4 or IPv6,
 * a zone allowed). Only ipaddr.js's `unicast` is; an IPv4-mapped address and a NAT64 one (64:ff9b::/96) are
 * judged by their IPv4; IPv4-compatible ones (::/96) and IPv6 outside 2000::/3 are refused. Anything else —
 * including the numeric forms only URL parsers read (`0x7f.1`, `2130706433`) — is refused.
 */
export function addressAllowed(ip: string): boolean {
  if (net.isIP(ip) === 0) return false;
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.parse(ip);
  } catch {
    return false;
  }
  if (address instanceof ipaddr.IPv4) return ipv4Allowed(address);
  const v6 = address;
  if (v6.isIPv4MappedAddress()) return ipv4Allowed(v6.toIPv4Address());
  if (v6.match(NAT64)) return ipv4Allowed(embeddedIPv4(v6));
  if (v6.match(IPV4_COMPATIBLE)) return false;
  return v6.match(GLOBAL_UNICAST) && v6.range() === 'unicast';
}

/** `localhost`, `LOCALHOST.`, `a.b.localhost`: names a resolver may answer without DNS (RFC 6761). */
const LOCALHOST = /(^|\.)localhost$/;

/**
 * Whether a parsed URL's host may be reached, as far as it can be told without resolving it: names under
 * `localhost` are refused, IP literals (as the WHATWG parser wrote them: `0x7f.1` is already `127.0.0.1`,
 * `[::ffff:127.0.0.1]` is `[::ffff:7f00:1]`) are judged by `addressAllowed`. Other names: see `guardedLookup`.
 */
export function hostAllowed(url: URL): boolean {
  const host = url.hostname.toLowerCase().replace(/\.+$/, '');
  if (!host || LOCALHOST.test(host)) return false;
  const literal = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (net.isIP(literal) !== 0) return addressAllowed(literal);
  // The WHATWG parser turns every IPv4 form into dotted decimal; a bracket it kept is an IPv6 literal.
  return !host.startsWith('[') && !/^[\d.]+$/.test(host);
}

/** Why an outbound URL is refused before any connection: its scheme, or its host. */
export type UrlRefusal = 'SCHEME' | 'ADDRESS';

/**
 * The checks of a URL before a request (and at creation): `https:` only (`http:` too under the switch), and
 * `hostAllowed` unless the switch is on. null: go on (names still meet `guardedLookup` when connecting).
 */
export function urlRefusal(url: URL, options: { allowPrivateTargets: boolean }): UrlRefusal | null {
  if (url.protocol !== 'https:' && !(options.allowPrivateTargets && url.protocol === 'http:')) return 'SCHEME';
  return options.allowPrivateTargets || hostAllowed(url) ? null : 'ADDRESS';
}

/** An outbound connection refused by the rule (from `guardedLookup` or the connected socket). */
export class OutboundRefused extends Error {
  readonly code = 'ERR_OUTBOUND_REFUSED';
  constructor(
    readonly host: string,
    /** What was refused (the address), for the server's log only: the message never names it. */
    readonly detail: string,
  ) {
    super(`${host} has no public address`);
    this.name = 'OutboundRefused';
  }
}

/** `dns.lookup` with `all: true`, as `guardedLookupWith` calls it. */
export type Resolver = (
  host: string,
  options: { all: true; family?: number; hints?: number },
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/** The lookup signature `net.connect` and http(s) agents take. */
export type LookupFunction = net.LookupFunction;

const familyOf = (family: LookupOptions['family']): number | undefined =>
  family === 'IPv4' ? 4 : family === 'IPv6' ? 6 : family === 0 ? undefined : family;

/**
 * A `lookup` for sockets: resolves every address of the name, refuses the name if ANY is refused (one public
 * and one private answer is refused: which one a connection would use is not ours to choose), and hands over
 * only the addresses checked — Node (happy eyeballs included) connects to those and no other. An answer
 * without addresses is an error too.
 */
export function guardedLookupWith(resolve: Resolver): LookupFunction {
  return (host, options, callback) => {
    resolve(host, { all: true, family: familyOf(options.family), hints: options.hints }, (err, addresses) => {
      if (err) return callback(err, []);
      if (!addresses?.length) {
        const none = Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host });
        return callback(none, []);
      }
      const refused = addresses.find((a) => !addressAllowed(a.address));
      if (refused) return callback(new OutboundRefused(host, `resolves to ${refused.address}`), []);
      const checked = addresses.map((a) => ({ address: a.address, family: a.family }));
      if (options.all) return callback(null, checked);
      return callback(null, checked[0].address, checked[0].family);
    });
  };
}

/** `guardedLookupWith` on `dns.lookup`, read from the module at each call (a test's preload may answer). */
export const guardedLookup: LookupFunction = guardedLookupWith((host, options, callback) => dns.lookup(host, options, callback));

/**
 * A name's addresses, all of them public, within `timeoutMs`; null when it resolves to a refused address, to
 * none, or not in time (the same answer for each: a check at creation is no oracle of the internal DNS).
 */
export function publicAddresses(host: string, timeoutMs: number, lookup: LookupFunction = guardedLookup): Promise<string[] | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs);
    lookup(host, { all: true }, (err, addresses) => {
      clearTimeout(timer);
      resolve(err || !Array.isArray(addresses) ? null : addresses.map((a) => a.address));
    });
  });
}

/**
 * The raw TCP socket of a guarded connection: resolved through `guardedLookup`, and its remote address checked
 * again once connected (a belt for anything that bypassed the lookup: Node never calls it for an IP literal).
 * The check is the socket's first 'connect' listener, registered before TLS is started on it, so a refused
 * address gets no byte; `refuse` ends what was built on the socket (the TLS socket) with the same error.
 */
function guardedSocket(options: net.TcpNetConnectOpts, refuse: (error: OutboundRefused) => void): net.Socket {
  const host = options.host ?? 'localhost';
  const socket = net.connect({ host, port: options.port, family: options.family, lookup: guardedLookup });
  socket.once('connect', () => {
    const remote = socket.remoteAddress;
    if (remote && addressAllowed(remote)) return;
    const error = new OutboundRefused(host, `connected to ${remote ?? 'nothing'}`);
    refuse(error);
    socket.destroy();
  });
  return socket;
}

class GuardedHttpsAgent extends https.Agent {
  override createConnection(
    options: tls.ConnectionOptions & net.TcpNetConnectOpts,
    callback?: (err: Error | null, socket: net.Socket) => void,
  ): net.Socket {
    let secure: net.Socket | null = null;
    const socket = guardedSocket(options, (error) => secure?.destroy(error));
    // https.Agent's own createConnection (its TLS session cache); servername is already set by the agent.
    const create = https.Agent.prototype.createConnection as unknown as (o: tls.ConnectionOptions, cb?: unknown) => net.Socket;
    secure = create.call(this, { ...options, socket }, callback);
    return secure;
  }
}

export interface OutboundAgentOptions {
  /** ALLOW_PRIVATE_TARGETS: no check at all (plain Node agents). */
  allowPrivateTargets: boolean;
  /** Sockets per origin (keep-alive reuses them). */
  maxSockets: number;
}

/**
 * The keep-alive agent of one process's outbound requests for `protocol` (`https:`, or `http:` under the
 * switch): every new connection resolved through `guardedLookup` and its remote address checked once
 * connected. Redirects are never followed by node:http(s) itself, so nothing leaves the rule that way.
 */
export function outboundAgent(protocol: 'https:' | 'http:', options: OutboundAgentOptions): HttpAgent {
  const settings: AgentOptions = { keepAlive: true, maxSockets: options.maxSockets, scheduling: 'lifo' };
  if (protocol === 'https:') return options.allowPrivateTargets ? new https.Agent(settings) : new GuardedHttpsAgent(settings);
  if (!options.allowPrivateTargets) throw new Error('plain http is allowed only with ALLOW_PRIVATE_TARGETS=true');
  return new HttpAgent(settings);
}
