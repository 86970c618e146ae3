import { createServer, Server, Socket, connect } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that a fault test can cut: `cut()` drops every connection and
 * refuses new ones, as a stopped PostgreSQL does; `restore()` accepts them again on the same port.
 * `freeze()` keeps every connection open but passes nothing either way (a database or network that
 * hangs without refusing); `thaw()` lets what waited through.
 * It works in front of any server (the CI service included), which an embedded instance the test
 * stops itself cannot: that one needs its binaries reachable by an unprivileged user.
 */
export interface CuttableProxy {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  via(url: string): string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

export async function startCuttableProxy(target: string): Promise<CuttableProxy> {
  const to = new URL(target);
  const sockets = new Set<Socket>();
  const pairs = new Set<[Socket, Socket]>();
  let frozen = false;
  const link = ([a, b]: [Socket, Socket]) => a.pipe(b).pipe(a);
  const unlink = ([a, b]: [Socket, Socket]) => {
    a.unpipe(b);
    b.unpipe(a);
    a.pause();
    b.pause();
  };
  let server: Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = connect(Number(to.port || 5432), to.hostname);
        for (const sock of [client, upstream]) {
          sockets.add(sock);
          sock.on('close', () => sockets.delete(sock));
          sock.on('error', () => undefined);
        }
        const pair: [Socket, Socket] = [client, upstream];
        pairs.add(pair);
        if (frozen) unlink(pair);
        else link(pair);
        client.on('close', () => pairs.delete(pair));
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as { port: number }).port;
        server = s;
        resolve();
      });
    });
  const cut = () =>
    new Promise<void>((resolve) => {
      for (const sock of sockets) sock.destroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = null;
    });
  await listen();
  return {
    get port() {
      return port;
    },
    via(url: string) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    cut,
    restore: listen,
    freeze() {
      frozen = true;
      for (const pair of pairs) unlink(pair);
    },
    thaw() {
      frozen = false;
      for (const pair of pairs) link(pair);
    },
    close: cut,
  };
}
