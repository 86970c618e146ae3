import ipaddr from 'ipaddr.js';
import type { LookupAddress } from 'node:dns';
import https from 'node:https';
import net from 'node:net';
import {
  addressAllowed,
  guardedLookupWith,
  hostAllowed,
  LookupFunction,
  outboundAgent,
  OutboundRefused,
  publicAddresses,
  Resolver,
  urlRefusal,
} from './outbound';

/** Every special-use range of the rule, with one address inside it (first, some middle, last where it matters). */
const REFUSED_RANGES: [string, string[]][] = [
  ['0.0.0.0/8', ['0.0.0.0', '0.1.2.3', '0.255.255.255']],
  ['10/8', ['10.0.0.1', '10.255.255.255']],
  ['100.64/10 (incl. Alibaba metadata)', ['100.64.0.1', '100.100.100.200', '100.127.255.255']],
  ['127/8', ['127.0.0.1', '127.1.2.3', '127.255.255.255']],
  ['169.254/16 (cloud metadata)', ['169.254.169.254', '169.254.0.1']],
  ['172.16/12', ['172.16.0.1', '172.31.255.255']],
  ['192.0.0/24', ['192.0.0.192', '192.0.0.8']],
  ['192.0.2/24', ['192.0.2.1']],
  ['192.88.99/24', ['192.88.99.1']],
  ['192.168/16', ['192.168.0.1', '192.168.255.255']],
  ['198.18/15', ['198.18.0.1', '198.19.255.255']],
  ['198.51.100/24', ['198.51.100.1']],
  ['203.0.113/24', ['203.0.113.1']],
  ['224/4', ['224.0.0.1', '239.255.255.250']],
  ['240/4', ['240.0.0.1', '254.255.255.255']],
  ['255.255.255.255', ['255.255.255.255']],
  ['AS112, AMT', ['192.175.48.1', '192.31.196.1', '192.52.193.1']],
  ['::', ['::']],
  ['::1', ['::1']],
  ['fc00::/7 (incl. AWS IPv6 metadata)', ['fc00::1', 'fd00:ec2::254', 'fdff:ffff::1']],
  ['fe80::/10', ['fe80::1', 'fe80::1%eth0', 'febf::1']],
  ['fec0::/10', ['fec0::1']],
  ['ff00::/8', ['ff02::1', 'ff05::1:3']],
  [
    '2001::/23',
    [
      '2001::1',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2',
      '2001:2::1',
      '2001:3::1',
      '2001:4:112::1',
      '2001:10::1',
      '2001:20::1',
      '2001:1ff::1',
    ],
  ],
  ['2001:db8::/32', ['2001:db8::1']],
  ['2002::/16 (6to4)', ['2002:7f00:1::1', '2002:808:808::1']],
  ['3fff::/20', ['3fff::1']],
  ['5f00::/16', ['5f00::1']],
  ['64:ff9b:1::/48', ['64:ff9b:1::808:808']],
  ['100::/64', ['100::1']],
  ['2620:4f:8000::/48 (AS112)', ['2620:4f:8000::1']],
  ['::ffff:0:0:0/96 (IPv4-translated)', ['::ffff:0:808:808']],
  ['outside 2000::/3', ['1::1', '4000::1', 'e000::1']],
];

const PUBLIC = [
  '8.8.8.8',
  '1.1.1.1',
  '93.184.215.14',
  '100.63.255.255',
  '100.128.0.1',
  '172.15.255.255',
  '172.32.0.1',
  '2606:4700:4700::1111',
  '2a00:1450:4007:80c::200e',
];

describe('addressAllowed', () => {
  it.each(REFUSED_RANGES)('refuses %s', (_, addresses) => {
    for (const ip of addresses) expect([ip, addressAllowed(ip)]).toEqual([ip, false]);
  });

  it('refuses the IPv4-mapped form of every refused IPv4, and accepts that of a public one', () => {
    for (const [, addresses] of REFUSED_RANGES)
      for (const ip of addresses.filter((a) => net.isIPv4(a))) {
        const mapped = ipaddr.IPv4.parse(ip).toIPv4MappedAddress();
        expect([mapped.toString(), addressAllowed(mapped.toString())]).toEqual([mapped.toString(), false]);
        expect(addressAllowed(`::ffff:${ip}`)).toBe(false);
      }
    expect(addressAllowed('::ffff:8.8.8.8')).toBe(true);
    expect(addressAllowed('::ffff:808:808')).toBe(true);
  });

  it('judges NAT64 (64:ff9b::/96) by its IPv4: public through DNS64 works, a special-use IPv4 does not', () => {
    // ipaddr.js's trap: all of these are 'rfc6052', not 'unicast'.
    expect(ipaddr.parse('64:ff9b::808:808').range()).toBe('rfc6052');
    expect(addressAllowed('64:ff9b::808:808')).toBe(true);
    expect(addressAllowed('64:ff9b::8.8.8.8')).toBe(true);
    for (const [, addresses] of REFUSED_RANGES)
      for (const ip of addresses.filter((a) => net.isIPv4(a))) expect([ip, addressAllowed(`64:ff9b::${ip}`)]).toEqual([ip, false]);
    expect(addressAllowed('64:ff9b::7f00:1')).toBe(false);
    expect(addressAllowed('64:ff9b::a9fe:a9fe')).toBe(false);
  });

  it('refuses IPv4-compatible addresses (::/96), which ipaddr.js calls unicast', () => {
    // ipaddr.js's other trap: [::169.254.169.254] in a URL becomes ::a9fe:a9fe, 'unicast' to the library.
    expect(ipaddr.parse('::a9fe:a9fe').range()).toBe('unicast');
    expect(addressAllowed('::a9fe:a9fe')).toBe(false);
    expect(addressAllowed('::169.254.169.254')).toBe(false);
    expect(addressAllowed('::7f00:1')).toBe(false);
    expect(addressAllowed('::808:808')).toBe(false);
  });

  it('accepts public unicast addresses', () => {
    for (const ip of PUBLIC) expect([ip, addressAllowed(ip)]).toEqual([ip, true]);
  });

  it('refuses what is not an address as Node writes one', () => {
    for (const bad of [
      '',
      'localhost',
      '0x7f.1',
      '2130706433',
      '0177.0.0.1',
      '127.1',
      '127.0.0.1.',
      '[::1]',
      '8.8.8.8/32',
      ' 8.8.8.8',
      '::ffff:127.0.0.1x',
    ])
      expect([bad, addressAllowed(bad)]).toEqual([bad, false]);
  });
});

describe('hostAllowed and urlRefusal, on URLs as the WHATWG parser reads them', () => {
  const parsed = (host: string) => new URL(`https://${host}/hook`);
  // The list (design §11.2): every form is refused.
  const HOSTILE = [
    '127.0.0.1',
    '2130706433',
    '0x7f.1',
    '0177.0.0.1',
    '127.1',
    '%31%32%37.0.0.1',
    '127.0.0.1.',
    '0',
    '0.0.0.0',
    '[::1]',
    '[::]',
    '[::ffff:127.0.0.1]',
    '[::ffff:7f00:1]',
    '[0:0:0:0:0:ffff:127.0.0.1]',
    '[::169.254.169.254]',
    '[64:ff9b::7f00:1]',
    '[64:ff9b::a9fe:a9fe]',
    '10.0.0.1',
    '172.16.0.1',
    '192.168.0.1',
    '169.254.169.254',
    '0xa9.0xfe.0xa9.0xfe',
    '2852039166',
    '100.100.100.200',
    '100.64.0.1',
    '198.18.0.1',
    '192.0.0.192',
    '[fd00:ec2::254]',
    '[fe80::1]',
    '[fc00::1]',
    '[2002:7f00:1::1]',
    'localhost',
    'LOCALHOST.',
    'localhost..',
    'a.b.localhost',
    'Foo.LocalHost',
    '%6c%6fcalhost',
    'ｌｏｃａｌｈｏｓｔ',
  ];

  it('parses the literal forms as the design says (a Node upgrade that changes this fails here)', () => {
    for (const host of ['2130706433', '0x7f.1', '0177.0.0.1', '127.1', '%31%32%37.0.0.1', '127.0.0.1.'])
      expect([host, parsed(host).hostname]).toEqual([host, '127.0.0.1']);
    for (const host of ['[::ffff:127.0.0.1]', '[0:0:0:0:0:ffff:127.0.0.1]']) expect(parsed(host).hostname).toBe('[::ffff:7f00:1]');
    expect(parsed('[::169.254.169.254]').hostname).toBe('[::a9fe:a9fe]');
    expect(parsed('0').hostname).toBe('0.0.0.0');
    expect(parsed('LOCALHOST.').hostname).toBe('localhost.');
    expect(parsed('foo.localhost').hostname).toBe('foo.localhost');
  });

  it.each(HOSTILE)('refuses https://%s/', (host) => {
    expect(hostAllowed(parsed(host))).toBe(false);
    expect(urlRefusal(parsed(host), { allowPrivateTargets: false })).toBe('ADDRESS');
  });

  it('lets names through to the lookup, and public literals', () => {
    for (const host of [
      'hooks.example.com',
      'example.com.',
      'localhost.example.com',
      'mylocalhost',
      '8.8.8.8',
      '[2606:4700:4700::1111]',
      '[64:ff9b::808:808]',
      '[::ffff:8.8.8.8]',
    ])
      expect([host, hostAllowed(parsed(host))]).toEqual([host, true]);
  });

  it('allows https only, and http too under ALLOW_PRIVATE_TARGETS, which also lifts the address rule', () => {
    const off = { allowPrivateTargets: false };
    const on = { allowPrivateTargets: true };
    expect(urlRefusal(new URL('https://hooks.example.com/x'), off)).toBeNull();
    expect(urlRefusal(new URL('http://hooks.example.com/x'), off)).toBe('SCHEME');
    for (const u of ['ftp://hooks.example.com/', 'file:///etc/passwd', 'gopher://example.com/', 'ws://example.com/', 'javascript:alert(1)'])
      for (const options of [off, on]) expect([u, urlRefusal(new URL(u), options)]).toEqual([u, 'SCHEME']);
    expect(urlRefusal(new URL('http://127.0.0.1:8080/x'), on)).toBeNull();
    expect(urlRefusal(new URL('https://localhost/x'), on)).toBeNull();
    expect(urlRefusal(new URL('http://127.0.0.1:8080/x'), off)).toBe('SCHEME');
  });
});

describe('guardedLookup', () => {
  /** A resolver answering from a table, recording what it was asked. */
  const fake = (table: Record<string, LookupAddress[] | NodeJS.ErrnoException>) => {
    const asked: { host: string; options: unknown }[] = [];
    const resolver: Resolver = (host, options, callback) => {
      asked.push({ host, options });
      const answer = table[host];
      setImmediate(() => (answer instanceof Error ? callback(answer, []) : callback(null, answer ?? [])));
    };
    return { asked, lookup: guardedLookupWith(resolver) };
  };
  const v4 = (address: string): LookupAddress => ({ address, family: 4 });
  const v6 = (address: string): LookupAddress => ({ address, family: 6 });
  const run = (lookup: LookupFunction, host: string, all: boolean) =>
    new Promise<{ err: NodeJS.ErrnoException | null; address: unknown; family?: number }>((resolve) =>
      lookup(host, { all }, (err, address, family) => resolve({ err, address, family })),
    );
  const { asked, lookup } = fake({
    'public.test': [v4('8.8.8.8'), v6('2606:4700:4700::1111')],
    'loopback.test': [v4('127.0.0.1')],
    'loopback6.test': [v6('::1')],
    'mixed.test': [v4('8.8.8.8'), v4('10.0.0.1')],
    'mixed6.test': [v6('2606:4700:4700::1111'), v6('fd00:ec2::254')],
    'mapped.test': [v6('::ffff:169.254.169.254')],
    'compatible.test': [v6('::a9fe:a9fe')],
    'nat64.test': [v6('64:ff9b::808:808')],
    'nat64-private.test': [v6('64:ff9b::a00:1')],
    'empty.test': [],
    'missing.test': Object.assign(new Error('getaddrinfo ENOTFOUND missing.test'), { code: 'ENOTFOUND' }),
  });

  it('asks for every address and hands over all of them, checked, when asked for all', async () => {
    const { err, address } = await run(lookup, 'public.test', true);
    expect(err).toBeNull();
    expect(address).toEqual([v4('8.8.8.8'), v6('2606:4700:4700::1111')]);
    expect(asked.at(-1)?.options).toMatchObject({ all: true });
  });

  it('hands over the first checked address when asked for one', async () => {
    expect(await run(lookup, 'public.test', false)).toEqual({ err: null, address: '8.8.8.8', family: 4 });
    expect(asked.at(-1)?.options).toMatchObject({ all: true });
    expect(await run(lookup, 'nat64.test', false)).toEqual({ err: null, address: '64:ff9b::808:808', family: 6 });
  });

  it.each(['loopback.test', 'loopback6.test', 'mixed.test', 'mixed6.test', 'mapped.test', 'compatible.test', 'nat64-private.test'])(
    'refuses %s whole, with no address handed over (any refused address refuses the name)',
    async (host) => {
      for (const all of [true, false]) {
        const { err, address } = await run(lookup, host, all);
        expect(err).toBeInstanceOf(OutboundRefused);
        expect(err?.code).toBe('ERR_OUTBOUND_REFUSED');
        expect(address === undefined || (Array.isArray(address) && address.length === 0)).toBe(true);
      }
    },
  );

  it('fails a name without addresses, and passes the resolver’s error on', async () => {
    expect((await run(lookup, 'empty.test', true)).err?.code).toBe('ENOTFOUND');
    expect((await run(lookup, 'missing.test', true)).err?.code).toBe('ENOTFOUND');
  });

  it('answers publicAddresses the same for a refused name, an unknown one and one too slow', async () => {
    expect(await publicAddresses('public.test', 1000, lookup)).toEqual(['8.8.8.8', '2606:4700:4700::1111']);
    expect(await publicAddresses('mixed.test', 1000, lookup)).toBeNull();
    expect(await publicAddresses('missing.test', 1000, lookup)).toBeNull();
    const never: LookupFunction = () => undefined;
    expect(await publicAddresses('slow.test', 20, never)).toBeNull();
  });

  it('makes net.connect refuse a name resolving to loopback before any connection', async () => {
    let connections = 0;
    const server = net.createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const err = await new Promise<Error>((resolve) => {
        const socket = net.connect({ host: 'loopback.test', port, lookup });
        socket.on('error', resolve);
        socket.on('connect', () => resolve(new Error('connected')));
      });
      expect(err).toBeInstanceOf(OutboundRefused);
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });
});

describe('outboundAgent', () => {
  it('refuses plain http without the switch', () => {
    expect(() => outboundAgent('http:', { allowPrivateTargets: false, maxSockets: 8 })).toThrow(/ALLOW_PRIVATE_TARGETS/);
    const agent = outboundAgent('http:', { allowPrivateTargets: true, maxSockets: 8 });
    expect([agent.maxSockets, (agent as unknown as { keepAlive: boolean }).keepAlive]).toEqual([8, true]);
  });

  it('refuses a loopback literal (which Node never looks up) once connected, before TLS sends a byte', async () => {
    const received: Buffer[] = [];
    let connections = 0;
    const server = net.createServer((s) => {
      connections++;
      s.on('data', (d: Buffer) => received.push(d));
      s.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const agent = outboundAgent('https:', { allowPrivateTargets: false, maxSockets: 8 });
    try {
      const err = await new Promise<Error>((resolve) => {
        const req = https.request({ host: '127.0.0.1', port, path: '/', method: 'POST', agent }, () => resolve(new Error('answered')));
        req.on('error', resolve);
        req.end('{"secret":"payload"}');
      });
      expect(err).toBeInstanceOf(OutboundRefused);
      expect([err.message, (err as OutboundRefused).detail]).toEqual(['127.0.0.1 has no public address', 'connected to 127.0.0.1']);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(connections).toBeLessThanOrEqual(1);
      expect(Buffer.concat(received).length).toBe(0);
    } finally {
      agent.destroy();
      server.close();
    }
  });

  it('resolves names through the guarded lookup', async () => {
    const agent = outboundAgent('https:', { allowPrivateTargets: false, maxSockets: 8 });
    try {
      const err = await new Promise<Error>((resolve) => {
        const req = https.request({ host: 'localhost', port: 9, path: '/', agent }, () => resolve(new Error('answered')));
        req.on('error', resolve);
        req.end();
      });
      expect(err).toBeInstanceOf(OutboundRefused);
    } finally {
      agent.destroy();
    }
  });
});
